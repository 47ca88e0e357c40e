import type { Transaction } from 'kysely';
import type { Database, EventsTable, RejectsTable, Storage } from '../schema.js';

/** A sample as an event names it: any of its hashes, and when it was seen. */
export interface SampleSighting {
  readonly md5: string | null;
  readonly sha1: string | null;
  readonly sha256: string | null;
  readonly time: string;
}

export interface IngestBatch {
  readonly events: readonly EventsTable[];
  readonly rejects: readonly RejectsTable[];
  readonly sightings: readonly SampleSighting[];
}

export interface BatchResult {
  readonly eventsInserted: number;
  readonly rejectsInserted: number;
  /** Sample keys created by this batch. */
  readonly samplesCreated: readonly string[];
  /** Sample keys that already existed before this batch. */
  readonly samplesExisting: readonly string[];
}

type Tx = Transaction<Database>;

/**
 * Writes one batch of an ingest in one transaction, so that a run killed part way leaves whole
 * batches only; a re-run skips them by key and ends with the same store as one clean run.
 */
export async function writeIngestBatch(storage: Storage, batch: IngestBatch, samples: SampleKeyCache = new SampleKeyCache()): Promise<BatchResult> {
  // On PostgreSQL rows go in key order, table after table, so that two processes writing
  // overlapping batches take row locks in the same order and cannot deadlock; a deadlock or
  // serialization failure that happens anyway (another writer, another order) is retried, as the
  // whole batch is idempotent. SQLite has one writer at a time (the database lock), so order cannot
  // deadlock there, and sorting 20,000 keys per batch cost a few percent of an ingest. The first of
  // two records with one key is stored either way (the sort is stable).
  const lockOrder = storage.dialect === 'postgres';
  const events = lockOrder ? [...batch.events].sort(byKey('event_key')) : batch.events;
  const rejects = lockOrder ? [...batch.rejects].sort(byKey('reject_key')) : batch.rejects;
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeSorted(storage, events, rejects, batch.sightings, samples);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const retryable = code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
      if (!retryable || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}

function byKey<K extends string>(k: K): (a: Record<K, string>, b: Record<K, string>) => number {
  return (a, b) => (a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : 0);
}

async function writeSorted(storage: Storage, events: readonly EventsTable[], rejects: readonly RejectsTable[], sightings: readonly SampleSighting[], samples: SampleKeyCache): Promise<BatchResult> {
  const learned = new Map<string, string>();
  const result = await storage.db.transaction().execute(async (tx) => {
    const eventsInserted = await storage.insertIgnore(tx, 'events', events);
    const rejectsInserted = await storage.insertIgnore(tx, 'rejects', rejects);
    const { created, existing } = sightings.length > 0 ? await recordSamples(tx, storage, sightings, samples, learned) : { created: [], existing: [] };
    return { eventsInserted, rejectsInserted, samplesCreated: created, samplesExisting: existing };
  });
  // Only once committed: a batch rolled back (and retried) must not find its own samples "known".
  samples.learn(learned);
  return result;
}

/** The key a sample is stored under when first seen: its SHA-256, else "md5:<md5>", else "sha1:<sha1>". */
export function sampleKeyOf(h: { md5: string | null; sha1: string | null; sha256: string | null }): string | null {
  if (h.sha256) return h.sha256;
  if (h.md5) return `md5:${h.md5}`;
  if (h.sha1) return `sha1:${h.sha1}`;
  return null;
}

/**
 * The samples one ingest run has met, by hash (`sha256:…`, `md5:…`, `sha1:…`) to sample key, so
 * that a batch looks up in the database only the hashes the run has not met yet: a sample named by
 * thousands of events cost thousands of look-ups before. Only presence is remembered, never
 * absence, so a sample another process creates meanwhile is still found. A merge by another process
 * during the run (registerBinary) can leave a merged-away key here; nothing stored depends on it
 * (sightings are a view that resolves when read), only that run's new/known split may name it.
 * Bounded: cleared when it grows past `limit` entries.
 */
export class SampleKeyCache {
  readonly #keys = new Map<string, string>();
  constructor(private readonly limit = 200_000) {}
  get(hash: string): string | undefined {
    return this.#keys.get(hash);
  }
  /** Hash (`column:value`) to sample key, of a committed batch. */
  learn(keys: ReadonlyMap<string, string>): void {
    if (this.#keys.size + keys.size > this.limit) this.#keys.clear();
    for (const [h, k] of keys) this.#keys.set(h, k);
  }
}

type HashColumn = 'sha256' | 'md5' | 'sha1';

async function recordSamples(
  tx: Tx,
  storage: Storage,
  sightings: readonly SampleSighting[],
  cache: SampleKeyCache,
  learned: Map<string, string>,
): Promise<{ created: string[]; existing: string[] }> {
  // Resolve each hash to an existing sample: SHA-256 is the identity, MD5 and SHA-1 are aliases.
  const columns: HashColumn[] = ['sha256', 'md5', 'sha1'];
  const known = (column: HashColumn, v: string): string | undefined => {
    const hash = `${column}:${v}`;
    return cache.get(hash) ?? learned.get(hash);
  };
  for (const column of columns) {
    const values = uniq(sightings.map((s) => s[column])).filter((v) => cache.get(`${column}:${v}`) === undefined);
    for (const part of chunkValues(values, storage.maxParams)) {
      const rows = await tx.selectFrom('samples').select(['sample_key', column]).where(column, 'in', part).execute();
      for (const r of rows) {
        const v = (r as Record<string, string | null>)[column];
        if (v) learned.set(`${column}:${v}`, r.sample_key);
      }
    }
  }
  const existingKey = (s: SampleSighting): string | undefined =>
    (s.sha256 ? known('sha256', s.sha256) : undefined) ?? (s.md5 ? known('md5', s.md5) : undefined) ?? (s.sha1 ? known('sha1', s.sha1) : undefined);

  const existing = new Set<string>();
  const fresh = new Map<string, { first: string; last: string; s: SampleSighting }>();
  for (const s of sightings) {
    const key = existingKey(s);
    if (key !== undefined) {
      existing.add(key);
      continue;
    }
    const newKey = sampleKeyOf(s);
    if (newKey === null) continue;
    const f = fresh.get(newKey);
    if (f === undefined) fresh.set(newKey, { first: s.time, last: s.time, s });
    else {
      if (s.time < f.first) f.first = s.time;
      if (s.time > f.last) f.last = s.time;
    }
  }
  // Existing samples need no update here: first and last sighting are read from the events (the
  // sample_sightings view), which are stored already; so are this batch's sightings of new samples.
  const freshRows = [...fresh]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, f]) => ({
      sample_key: key,
      sha256: f.s.sha256,
      sha1: f.s.sha1,
      md5: f.s.md5,
      size: null,
      binary_present: 0,
      binary_path: null,
      first_seen: f.first,
      last_seen: f.last,
      first_verdict: null,
      first_verdict_scanner: null,
      first_verdict_at: null,
    }));
  const inserted = await storage.insertIgnore(tx, 'samples', freshRows);
  const created = freshRows.map((r) => r.sample_key);
  // Stored now, by this batch or (same key, same rule) by another process just before it.
  for (const r of freshRows) for (const column of columns) if (r[column]) learned.set(`${column}:${r[column]}`, r.sample_key);
  if (inserted < created.length) {
    // Another process created some of these between our look-up and our insert. Which ones cannot
    // be told from the count; the totals stay right, the new/known split of this batch is approximate.
    for (const k of created.splice(inserted)) existing.add(k);
  }
  return { created, existing: [...existing] };
}

function uniq(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))];
}

function chunkValues(values: readonly string[], maxParams: number): string[][] {
  const out: string[][] = [];
  const size = Math.max(1, Math.min(maxParams - 10, 10_000));
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
