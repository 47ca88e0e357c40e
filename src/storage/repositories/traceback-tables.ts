import type { Kysely } from 'kysely';
import type { Storage } from '../schema.js';

/** Tables of migration 003-traceback. Kept here rather than in schema.ts so the study owns its schema. */
export interface StudiesTable {
  id: string;
  created_at: string;
  updated_at: string;
  /** JSON object of the options the study was last run with. */
  params: string;
}

export interface StudyNamesTable {
  study: string;
  set_kind: string;
  name: string;
  kind: string;
  source: string;
  snapshot_date: string | null;
  category: string | null;
  first_seen: string | null;
  last_seen: string | null;
  listed_ip: string | null;
}

export interface StudyRejectsTable {
  study: string;
  source: string;
  line: number;
  reason: string;
  raw: string;
}

export interface ResolutionsTable {
  study: string;
  round: number;
  set_kind: string;
  name: string;
  status: string;
  auth_server_name: string | null;
  auth_server_ip: string | null;
  first_address: string | null;
  addresses: string;
  cname_chain: string;
  delegation_path: string;
  hops: number;
  error: string | null;
  queries: number;
  resolved_at: string;
}

export interface StudyIpsTable {
  study: string;
  ip: string;
  role: string;
  names: string;
  country: string | null;
  asn: number | null;
  ptr: string | null;
  forward_ok: number | null;
  s25r_rules: string;
  end_user: number;
  blocklists: string;
  sinkhole: string | null;
  irc_verdict: string | null;
  irc_detail: string | null;
  lifetime_days: number | null;
  lifetime_censored: number | null;
  classification: string;
  classified_at: string;
}

// A type alias, not an interface: withTables() needs an index-signature-compatible type.
export type TracebackTables = {
  studies: StudiesTable;
  study_names: StudyNamesTable;
  study_rejects: StudyRejectsTable;
  resolutions: ResolutionsTable;
  study_ips: StudyIpsTable;
};

/** The storage's Kysely handle, typed for the traceback tables. */
export function tracebackDb(storage: Storage): Kysely<TracebackTables> {
  return storage.db.withTables<TracebackTables>() as unknown as Kysely<TracebackTables>;
}

/** JSON text from the database, parsed defensively: a damaged cell becomes the fallback, never an exception. */
export function parseJsonCell<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Text as both dialects can store it: PostgreSQL text cannot hold NUL, which hostile list lines and
 * server replies do carry, so NUL becomes the visible escape "\x00" (in SQLite too, for one answer).
 */
export function storableText(s: string): string;
export function storableText(s: string | null): string | null;
export function storableText(s: string | null): string | null {
  return s === null ? null : s.replaceAll('\u0000', '\\x00');
}
