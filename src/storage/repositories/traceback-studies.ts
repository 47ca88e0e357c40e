/**
 * Studies, the names they study and the list lines that could not be read. A name is stored once
 * per study and set, so reading the same lists again (a resumed study) adds nothing.
 */
import type { Storage } from '../schema.js';
import { chunkRows } from './batch.js';
import { parseJsonCell, storableText, tracebackDb, type StudyNamesTable } from './traceback-tables.js';

export interface StudyRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly params: Record<string, unknown>;
}

/** Which list a name came from: the C&C lists or the benign control list. */
export type NameSet = 'cc' | 'control';

export interface StudyName {
  readonly set: NameSet;
  readonly name: string;
  readonly kind: 'domain' | 'ip';
  readonly source: string;
  readonly snapshotDate: string | null;
  readonly category: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** The IP the list gave with a domain entry (ThreatFox ip:port), when it gave one. */
  readonly listedIp: string | null;
}

export interface StudyRejectRecord {
  readonly source: string;
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

/** Creates the study or, when it exists, merges `params` into its stored parameters. */
export async function saveStudy(storage: Storage, id: string, params: Record<string, unknown>, now: string): Promise<StudyRecord> {
  const db = tracebackDb(storage);
  const existing = await getStudy(storage, id);
  const merged = { ...(existing?.params ?? {}), ...params };
  if (existing === null) {
    await db.insertInto('studies').values({ id, created_at: now, updated_at: now, params: JSON.stringify(merged) }).onConflict((oc) => oc.column('id').doNothing()).execute();
  } else {
    await db.updateTable('studies').set({ updated_at: now, params: JSON.stringify(merged) }).where('id', '=', id).execute();
  }
  return (await getStudy(storage, id)) as StudyRecord;
}

export async function getStudy(storage: Storage, id: string): Promise<StudyRecord | null> {
  const row = await tracebackDb(storage).selectFrom('studies').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return null;
  return { id: row.id, createdAt: row.created_at, updatedAt: row.updated_at, params: parseJsonCell<Record<string, unknown>>(row.params, {}) };
}

export async function listStudies(storage: Storage): Promise<StudyRecord[]> {
  const rows = await tracebackDb(storage).selectFrom('studies').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({ id: row.id, createdAt: row.created_at, updatedAt: row.updated_at, params: parseJsonCell<Record<string, unknown>>(row.params, {}) }));
}

/** Adds names not yet stored for the study; returns how many were new. */
export async function addStudyNames(storage: Storage, study: string, names: readonly StudyName[]): Promise<number> {
  const db = tracebackDb(storage);
  const rows: StudyNamesTable[] = names.map((n) => ({
    study,
    set_kind: n.set,
    name: n.name,
    kind: n.kind,
    source: storableText(n.source),
    snapshot_date: n.snapshotDate,
    category: storableText(n.category),
    first_seen: n.firstSeen,
    last_seen: n.lastSeen,
    listed_ip: n.listedIp,
  }));
  let added = 0;
  for (const chunk of chunkRows(rows, storage.maxParams)) {
    const r = await db
      .insertInto('study_names')
      .values(chunk)
      .onConflict((oc) => oc.columns(['study', 'set_kind', 'name']).doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

export async function getStudyNames(storage: Storage, study: string, set?: NameSet): Promise<StudyName[]> {
  let q = tracebackDb(storage).selectFrom('study_names').selectAll().where('study', '=', study);
  if (set !== undefined) q = q.where('set_kind', '=', set);
  const rows = await q.orderBy('set_kind').orderBy('name').execute();
  return rows.map((r) => ({
    set: r.set_kind === 'control' ? 'control' : 'cc',
    name: r.name,
    kind: r.kind === 'ip' ? 'ip' : 'domain',
    source: r.source,
    snapshotDate: r.snapshot_date,
    category: r.category,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    listedIp: r.listed_ip,
  }));
}

/** Keeps list lines that could not be read; the same line and reason is kept once. */
export async function addStudyRejects(storage: Storage, study: string, rejects: readonly StudyRejectRecord[]): Promise<void> {
  const rows = rejects.map((r) => ({ study, source: storableText(r.source), line: r.line, reason: storableText(r.reason), raw: storableText(r.raw) }));
  for (const chunk of chunkRows(rows, storage.maxParams)) {
    await tracebackDb(storage)
      .insertInto('study_rejects')
      .values(chunk)
      .onConflict((oc) => oc.columns(['study', 'source', 'line', 'reason']).doNothing())
      .execute();
  }
}

export async function getStudyRejects(storage: Storage, study: string): Promise<StudyRejectRecord[]> {
  const rows = await tracebackDb(storage).selectFrom('study_rejects').select(['source', 'line', 'reason', 'raw']).where('study', '=', study).orderBy('source').orderBy('line').execute();
  return rows.map((r) => ({ source: r.source, line: Number(r.line), reason: r.reason, raw: r.raw }));
}
