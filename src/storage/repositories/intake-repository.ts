import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, EventsTable, RejectsTable, Storage } from '../schema.js';
import { chunkRows } from './batch.js';

/** A sample as an event names it: any of its hashes, and where it was seen. */
export interface SampleSighting {
  readonly eventKey: string;
  readonly md5: string | null;
  readonly sha1: string | null;
  readonly sha256: string | null;
  readonly url: string | null;
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

type Tx = Kysely<Database> | Transaction<Database>;

/**
 * Writes one batch of an ingest in one transaction, so that a run killed part way leaves whole
 * batches only; a re-run skips them by key and ends with the same store as one clean run.
 */
export async function writeIngestBatch(storage: Storage, batch: IngestBatch): Promise<BatchResult> {
  return storage.db.transaction().execute(async (tx) => {
    let eventsInserted = 0;
    for (const rows of chunkRows(batch.events, storage.maxParams)) {
      const r = await tx.insertInto('events').values(rows).onConflict((oc) => oc.column('event_key').doNothing()).executeTakeFirst();
      eventsInserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    let rejectsInserted = 0;
    for (const rows of chunkRows(batch.rejects, storage.maxParams)) {
      const r = await tx.insertInto('rejects').values(rows).onConflict((oc) => oc.column('reject_key').doNothing()).executeTakeFirst();
      rejectsInserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    const { created, existing } = batch.sightings.length > 0 ? await recordSightings(tx, storage, batch.sightings) : { created: [], existing: [] };
    return { eventsInserted, rejectsInserted, samplesCreated: created, samplesExisting: existing };
  });
}

/** The key a sample is stored under when first seen: its SHA-256, else "md5:<md5>", else "sha1:<sha1>". */
export function sampleKeyOf(h: { md5: string | null; sha1: string | null; sha256: string | null }): string | null {
  if (h.sha256) return h.sha256;
  if (h.md5) return `md5:${h.md5}`;
  if (h.sha1) return `sha1:${h.sha1}`;
  return null;
}

async function recordSightings(tx: Tx, storage: Storage, sightings: readonly SampleSighting[]): Promise<{ created: string[]; existing: string[] }> {
  const sha256s = uniq(sightings.map((s) => s.sha256));
  const md5s = uniq(sightings.map((s) => s.md5));
  const sha1s = uniq(sightings.map((s) => s.sha1));
  // Resolve each hash to an existing sample: SHA-256 is the identity, MD5 and SHA-1 are aliases.
  const known = new Map<string, string>();
  const lookups: [('sha256' | 'md5' | 'sha1'), string[]][] = [['sha256', sha256s], ['md5', md5s], ['sha1', sha1s]];
  for (const [column, values] of lookups) {
    for (const part of chunkValues(values, storage.maxParams)) {
      const rows = await tx.selectFrom('samples').select(['sample_key', column]).where(column, 'in', part).execute();
      for (const r of rows) {
        const v = (r as Record<string, string | null>)[column];
        if (v) known.set(`${column}:${v}`, r.sample_key);
      }
    }
  }
  const resolve = (s: SampleSighting): string | null =>
    (s.sha256 ? known.get(`sha256:${s.sha256}`) : undefined) ??
    (s.md5 ? known.get(`md5:${s.md5}`) : undefined) ??
    (s.sha1 ? known.get(`sha1:${s.sha1}`) : undefined) ??
    sampleKeyOf(s);

  const firstLast = new Map<string, { first: string; last: string; s: SampleSighting }>();
  const sightingRows = [];
  for (const s of sightings) {
    const key = resolve(s);
    if (key === null) continue;
    const fl = firstLast.get(key);
    if (fl === undefined) firstLast.set(key, { first: s.time, last: s.time, s });
    else {
      if (s.time < fl.first) fl.first = s.time;
      if (s.time > fl.last) fl.last = s.time;
    }
    sightingRows.push({ event_key: s.eventKey, sample_key: key, time: s.time, day: s.time.slice(0, 10), url: s.url });
  }
  const existingKeys = new Set<string>();
  for (const part of chunkValues([...firstLast.keys()], storage.maxParams)) {
    const rows = await tx.selectFrom('samples').select('sample_key').where('sample_key', 'in', part).execute();
    for (const r of rows) existingKeys.add(r.sample_key);
  }
  const created: string[] = [];
  const existing: string[] = [];
  for (const [key, fl] of firstLast) {
    if (existingKeys.has(key)) {
      existing.push(key);
      await tx
        .updateTable('samples')
        // CASE rather than min()/max(): SQLite's two-argument min is an aggregate in PostgreSQL.
        .set({
          first_seen: sql<string>`case when first_seen < ${fl.first} then first_seen else ${fl.first} end`,
          last_seen: sql<string>`case when last_seen > ${fl.last} then last_seen else ${fl.last} end`,
        })
        .where('sample_key', '=', key)
        .execute();
    } else {
      const r = await tx
        .insertInto('samples')
        .values({
          sample_key: key,
          sha256: fl.s.sha256,
          sha1: fl.s.sha1,
          md5: fl.s.md5,
          size: null,
          binary_present: 0,
          binary_path: null,
          first_seen: fl.first,
          last_seen: fl.last,
          first_verdict: null,
          first_verdict_scanner: null,
          first_verdict_at: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      // Another process may have created it between our look-up and our insert.
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) created.push(key);
      else existing.push(key);
    }
  }
  for (const rows of chunkRows(sightingRows, storage.maxParams)) {
    await tx.insertInto('sample_sightings').values(rows).onConflict((oc) => oc.column('event_key').doNothing()).execute();
  }
  return { created, existing };
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
