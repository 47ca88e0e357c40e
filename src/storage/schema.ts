import type { Kysely, Transaction } from 'kysely';

/**
 * Table types shared by both dialects. Times are ISO 8601 UTC text ("…Z"), which sorts and
 * compares the same way in SQLite and PostgreSQL. Booleans are 0/1 integers for the same reason.
 */
export interface EventsTable {
  event_key: string;
  format: string;
  sensor: string;
  time: string;
  src_ip: string;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  protocol: string;
  stage: string;
  vulnerability: string | null;
  vulnerability_raw: string | null;
  sample_md5: string | null;
  sample_sha1: string | null;
  sample_sha256: string | null;
  sample_url: string | null;
  country: string | null;
  asn: number | null;
  isp: string | null;
  ptr: string | null;
  source_file: string;
  source_line: number | null;
  source_row: string | null;
  import_id: string;
}

export interface RejectsTable {
  reject_key: string;
  format: string;
  source: string;
  line: number | null;
  row: string | null;
  reason: string;
  raw: string;
  first_seen_at: string;
  import_id: string;
}

export interface SamplesTable {
  sample_key: string;
  sha256: string | null;
  sha1: string | null;
  md5: string | null;
  size: number | null;
  binary_present: number;
  binary_path: string | null;
  first_seen: string;
  last_seen: string;
  first_verdict: string | null;
  first_verdict_scanner: string | null;
  first_verdict_at: string | null;
}

/** A view (migration 009): each event that names a sample hash, with the key of its sample. */
export interface SampleSightingsTable {
  event_key: string;
  sample_key: string;
  time: string;
  day: string;
  url: string | null;
}

export interface SampleVerdictsTable {
  sample_key: string;
  scanner: string;
  scanned_at: string;
  verdict: string;
  signature: string | null;
  detail: string | null;
}

export interface ImportsTable {
  import_id: string;
  format: string;
  paths: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  counts: string | null;
  host: string;
  /** Updated while the import runs; a 'running' import whose heartbeat stopped was killed. */
  heartbeat_at: string | null;
}

export interface Database {
  events: EventsTable;
  rejects: RejectsTable;
  samples: SamplesTable;
  sample_sightings: SampleSightingsTable;
  sample_verdicts: SampleVerdictsTable;
  imports: ImportsTable;
}

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what differs between dialects. */
export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where it is, for messages (a file path, or the URL without its password). */
  readonly location: string;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParams: number;
  /**
   * Inserts rows, skipping any whose primary key is already stored, inside the given transaction;
   * returns how many were inserted. The hot path of ingest: SQLite runs one cached prepared
   * statement per row (far cheaper than building a large multi-row statement), PostgreSQL runs
   * multi-row INSERT … ON CONFLICT DO NOTHING.
   */
  insertIgnore<T extends BulkTable>(tx: Transaction<Database>, table: T, rows: readonly Database[T][]): Promise<number>;
  /**
   * For a long-running server (`serve`), whose requests should not pay for the database's upkeep.
   * On SQLite: a second thread checkpoints the write-ahead log every `checkpointIntervalMs`, so a
   * request's commit does not copy back what earlier writes left in the log, and the page cache grows
   * from 64 to 256 MiB, as a server keeps going back to the same incidents. PostgreSQL does its own
   * upkeep and caching (no-op). Stops on close.
   */
  tuneForServer(checkpointIntervalMs?: number): void;
  close(): Promise<void>;
}

/** Tables written in bulk by ingest. */
export type BulkTable = 'events' | 'rejects' | 'samples';
