import { sql, type Transaction } from 'kysely';
import type { Database, SamplesTable, Storage } from '../schema.js';

export interface BinaryRecord {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
  /** When the binary was found (file mtime, or now). */
  readonly seenAt: string;
}

export type BinaryOutcome = 'new' | 'matched-hash-only' | 'already-present' | 'merged';

/**
 * Registers a binary found in a download folder. SHA-256 is the identity: a sample known so far
 * only by its MD5 or SHA-1 (from a dionaea download record) gains its SHA-256 and binary; when two
 * rows turn out to be one binary (an MD5-only row and a SHA-256 row) they are merged into the
 * SHA-256 row and their sightings and verdicts follow.
 */
export async function registerBinary(storage: Storage, b: BinaryRecord): Promise<BinaryOutcome> {
  return storage.db.transaction().execute(async (tx) => {
    const bySha = await tx.selectFrom('samples').selectAll().where('sha256', '=', b.sha256).executeTakeFirst();
    const aliases = await tx
      .selectFrom('samples')
      .selectAll()
      .where('sha256', 'is', null)
      .where((eb) => eb.or([eb('md5', '=', b.md5), eb('sha1', '=', b.sha1)]))
      .execute();
    const binaryCols = { md5: b.md5, sha1: b.sha1, size: b.size, binary_present: 1, binary_path: b.path };
    if (bySha !== undefined) {
      for (const a of aliases) await mergeInto(tx, a, bySha.sample_key);
      const wasPresent = bySha.binary_present === 1;
      await tx.updateTable('samples').set(binaryCols).where('sample_key', '=', bySha.sample_key).execute();
      if (aliases.length > 0) return 'merged';
      return wasPresent ? 'already-present' : 'matched-hash-only';
    }
    const [first, ...rest] = aliases;
    if (first !== undefined) {
      await tx.updateTable('samples').set({ ...binaryCols, sha256: b.sha256 }).where('sample_key', '=', first.sample_key).execute();
      for (const a of rest) await mergeInto(tx, a, first.sample_key);
      return rest.length > 0 ? 'merged' : 'matched-hash-only';
    }
    await tx
      .insertInto('samples')
      .values({
        sample_key: b.sha256,
        sha256: b.sha256,
        ...binaryCols,
        first_seen: b.seenAt,
        last_seen: b.seenAt,
        first_verdict: null,
        first_verdict_scanner: null,
        first_verdict_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return 'new';
  });
}

async function mergeInto(tx: Transaction<Database>, from: SamplesTable, toKey: string): Promise<void> {
  // Sightings need no update: the sample_sightings view finds the merged row by its hash aliases.
  await tx.updateTable('sample_verdicts').set({ sample_key: toKey }).where('sample_key', '=', from.sample_key).execute();
  await tx
    .updateTable('samples')
    .set({
      first_seen: sql<string>`case when first_seen < ${from.first_seen} then first_seen else ${from.first_seen} end`,
      last_seen: sql<string>`case when last_seen > ${from.last_seen} then last_seen else ${from.last_seen} end`,
    })
    .where('sample_key', '=', toKey)
    .execute();
  await tx.deleteFrom('samples').where('sample_key', '=', from.sample_key).execute();
}

export interface VerdictRecord {
  readonly scanner: string;
  readonly verdict: 'known' | 'unknown' | 'error';
  readonly signature: string | null;
  readonly scannedAt: string;
  readonly detail: string | null;
}

/**
 * Stores a scan verdict. The first known/unknown verdict a sample ever gets is also kept on the
 * sample itself, so "unknown when first seen" stays apart from "known now" as signatures improve.
 */
export async function recordVerdict(storage: Storage, sampleKey: string, v: VerdictRecord): Promise<void> {
  await storage.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('sample_verdicts')
      .values({ sample_key: sampleKey, scanner: v.scanner, scanned_at: v.scannedAt, verdict: v.verdict, signature: v.signature, detail: v.detail })
      .onConflict((oc) => oc.columns(['sample_key', 'scanner', 'scanned_at']).doNothing())
      .execute();
    if (v.verdict !== 'error') {
      await tx
        .updateTable('samples')
        .set({ first_verdict: v.verdict, first_verdict_scanner: v.scanner, first_verdict_at: v.scannedAt })
        .where('sample_key', '=', sampleKey)
        .where('first_verdict', 'is', null)
        .execute();
    }
  });
}

export interface SampleSummary {
  readonly sampleKey: string;
  readonly sha256: string | null;
  readonly sha1: string | null;
  readonly md5: string | null;
  readonly size: number | null;
  readonly binaryPresent: boolean;
  readonly binaryPath: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly sightings: number;
  /** The first known/unknown verdict ever recorded, or null when never scanned. */
  readonly firstVerdict: string | null;
  /** "known" when the latest verdict of any scanner is known; "unknown" when scanned and none is; null when never scanned. */
  readonly knownNow: 'known' | 'unknown' | null;
  /** Signature names of the latest known verdicts, scanner:signature. */
  readonly signatures: readonly string[];
}

export async function listSamples(storage: Storage, opts: { limit?: number; onlyUnknown?: boolean } = {}): Promise<SampleSummary[]> {
  const rows = await storage.db
    .selectFrom('samples as s')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('sample_sightings')
          .select(['sample_key', (e) => e.fn.countAll<number>().as('n'), (e) => e.fn.min('time').as('first'), (e) => e.fn.max('time').as('last')])
          .groupBy('sample_key')
          .as('c'),
      (j) => j.onRef('c.sample_key', '=', 's.sample_key'),
    )
    .selectAll('s')
    .select(['c.n', 'c.first', 'c.last'])
    .orderBy('s.first_seen')
    .orderBy('s.sample_key')
    .limit(opts.limit ?? 1_000_000)
    .execute();
  const verdicts = await latestVerdicts(storage);
  const out: SampleSummary[] = [];
  for (const r of rows) {
    const v = verdicts.get(r.sample_key) ?? [];
    const scanned = v.filter((x) => x.verdict !== 'error');
    const known = scanned.filter((x) => x.verdict === 'known');
    const knownNow = scanned.length === 0 ? null : known.length > 0 ? 'known' : 'unknown';
    if (opts.onlyUnknown && knownNow === 'known') continue;
    out.push({
      sampleKey: r.sample_key,
      sha256: r.sha256,
      sha1: r.sha1,
      md5: r.md5,
      size: r.size === null ? null : Number(r.size),
      binaryPresent: r.binary_present === 1,
      binaryPath: r.binary_path,
      // The row keeps when the sample was first stored; sightings added later may be earlier or later.
      firstSeen: r.first !== null && (r.first as string) < r.first_seen ? (r.first as string) : r.first_seen,
      lastSeen: r.last !== null && (r.last as string) > r.last_seen ? (r.last as string) : r.last_seen,
      sightings: Number(r.n ?? 0),
      firstVerdict: r.first_verdict,
      knownNow,
      signatures: known.map((x) => `${x.scanner}:${x.signature ?? '?'}`),
    });
  }
  return out;
}

/** The latest verdict of each scanner for each sample. */
async function latestVerdicts(storage: Storage): Promise<Map<string, VerdictRecord[]>> {
  const rows = await storage.db.selectFrom('sample_verdicts').selectAll().orderBy('scanned_at').execute();
  const byKey = new Map<string, Map<string, VerdictRecord>>();
  for (const r of rows) {
    let m = byKey.get(r.sample_key);
    if (m === undefined) byKey.set(r.sample_key, (m = new Map()));
    m.set(r.scanner, { scanner: r.scanner, verdict: r.verdict as VerdictRecord['verdict'], signature: r.signature, scannedAt: r.scanned_at, detail: r.detail });
  }
  return new Map([...byKey].map(([k, m]) => [k, [...m.values()]]));
}

export interface SampleCounts {
  readonly period: string;
  /** Sightings of a sample in events (downloads and offers that name a hash). */
  readonly collected: number;
  /** Different samples among them. */
  readonly distinct: number;
}

/** Samples collected and distinct samples per day ("day") or per month ("month"). */
export async function sampleCounts(storage: Storage, by: 'day' | 'month'): Promise<SampleCounts[]> {
  const period = by === 'day' ? sql<string>`day` : sql<string>`substr(day, 1, 7)`;
  const rows = await storage.db
    .selectFrom('sample_sightings')
    .select([
      period.as('period'),
      (eb) => eb.fn.countAll<number>().as('collected'),
      (eb) => eb.fn.count<number>('sample_key').distinct().as('distinct'),
    ])
    .groupBy(period)
    .orderBy(period)
    .execute();
  return rows.map((r) => ({ period: r.period, collected: Number(r.collected), distinct: Number(r.distinct) }));
}
