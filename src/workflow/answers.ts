import { acceptsAnswer, isIncidentState } from '../domain/incident-state.js';
import type { Storage } from '../storage/schema.js';
import { wdb, type WorkflowTx } from '../storage/repositories/workflow-tables.js';
import { findAnswerTargets, findKeyHolders, writeAnswers, type AnswerTargets, type AnswerWrites } from '../storage/repositories/answers-repository.js';
import { audit } from './audit.js';
import { newId } from './identifiers.js';
import { parseAnswers, type AnswerRow, type RejectedAnswer } from './answer-parse.js';

export interface AnswerUpload {
  readonly body: string | Uint8Array;
  readonly contentType: 'application/json' | 'text/csv' | string;
  /** Default 200,000 rows. */
  readonly maxRows?: number;
  /** Default 32 MiB. */
  readonly maxBytes?: number;
  /** Tests only: runs inside the transaction after every write, before commit. */
  readonly beforeCommit?: () => void | Promise<void>;
}

export type AnswerUploadResult =
  | { readonly ok: true; readonly applied: number; readonly changed: number; readonly uploadId: string | null }
  | { readonly ok: false; readonly rejected: RejectedAnswer[]; readonly tooLarge?: boolean };

export const DEFAULT_MAX_ANSWER_ROWS = 200_000;
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The same words for an ID that does not exist and for another ISP's, so that IDs cannot be probed. */
export const UNKNOWN_TRACKING_ID = 'unknown tracking ID';

/**
 * Applies an ISP's answers (identified with an opaque subscriber key, not-found, not-our-customer)
 * as a whole or not at all: any bad row rejects the upload, with one reason per bad row. Incidents
 * sharing a key are linked; an identified key whose earlier incident was completed or remediated
 * marks that one reinfected. Re-sending the same answers changes nothing.
 */
export async function applyAnswerUpload(storage: Storage, ispId: string, upload: AnswerUpload, actor: string): Promise<AnswerUploadResult> {
  const parsed = parseAnswers(upload.body, upload.contentType, { maxRows: upload.maxRows ?? DEFAULT_MAX_ANSWER_ROWS, maxBytes: upload.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES });
  if ('tooLarge' in parsed) return { ok: false, tooLarge: true, rejected: [{ row: 0, trackingId: null, reason: `too large: ${parsed.tooLarge}` }] };
  const rejected = [...parsed.rejected];
  const db = wdb(storage);

  return db.transaction().execute(async (tx) => {
    const rows = parsed.rows;
    // In incident_id order, the order writeAnswers wants; `rows[t.pos[j]]` is the row that names incident j.
    const t = await findAnswerTargets(storage, tx, ispId, rows.map((r) => r.trackingId));
    const targetOf = new Int32Array(rows.length).fill(-1);
    for (let j = 0; j < t.count; j++) targetOf[t.pos[j] as number] = j;
    /** The incidents that change, in upload order (j, an index into t). */
    const changing: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as AnswerRow;
      const j = targetOf[i] as number;
      const state = j === -1 ? undefined : (t.state[j] as string);
      // Never requested means the ISP cannot know the ID: treated like a guess.
      if (state === undefined || state === 'detected') {
        rejected.push({ row: row.row, trackingId: row.trackingId, reason: UNKNOWN_TRACKING_ID });
        continue;
      }
      if (state === row.result && t.subscriberKey[j] === row.subscriberKey) continue;
      if (!isIncidentState(state) || !acceptsAnswer(state)) {
        rejected.push({ row: row.row, trackingId: row.trackingId, reason: `the answer cannot change any more: the incident is already ${state}` });
        continue;
      }
      changing.push(j);
    }
    if (rejected.length > 0) {
      rejected.sort((a, b) => a.row - b.row);
      return { ok: false, rejected };
    }
    const now = new Date().toISOString();
    const applied = rows.length;
    const tally = { identified: 0, 'not-found': 0, 'not-our-customer': 0 };
    let uploadId: string | null = null;
    if (changing.length > 0) {
      uploadId = newId('upl');
      await tx
        .insertInto('answer_uploads')
        .values({ upload_id: uploadId, isp_id: ispId, uploaded_at: now, actor, row_count: applied, content_type: String(upload.contentType).slice(0, 100) })
        .execute();
      const rowOf = (j: number): AnswerRow => rows[t.pos[j] as number] as AnswerRow;
      // Keys are linked before anything is written, from the incidents as they are plus this upload's
      // answers, so that each incident is written once, first_notice included.
      const { repeat, reinfected } = await linkByKey(storage, tx, ispId, t, changing, rowOf, now);
      const change = new Uint8Array(t.count);
      for (const j of changing) change[j] = 1;
      const writes: AnswerWrites = { incidentId: [], rowid: [], result: [], subscriberKey: [], firstNotice: [], answerSeq: [] };
      for (let j = 0; j < t.count; j++) {
        if (change[j] === 0) continue;
        const { result, subscriberKey } = rowOf(j);
        tally[result]++;
        writes.incidentId.push(t.incidentId[j] as string);
        if (storage.dialect === 'sqlite') writes.rowid.push(t.rowid[j] as number);
        writes.result.push(result);
        writes.subscriberKey.push(subscriberKey);
        writes.firstNotice.push(result === 'identified' ? (repeat[j] === 1 ? 0 : 1) : null);
        writes.answerSeq.push(t.answerSeq[j] as number);
      }
      await writeAnswers(storage, tx, uploadId, now, writes);
      await markReinfected(tx, reinfected, now);
    }
    await audit(storage, actor, 'answers.upload', ispId, { uploadId, rows: applied, changed: changing.length, ...tally }, tx);
    await upload.beforeCommit?.();
    return { ok: true, applied, changed: changing.length, uploadId };
  });
}

type Reinfections = Map<string, { newId: string; at: string; previous: string | null }>;

/** Whether incident a was identified before b: by identification time, then first sighting, then id (a total order, ids being unique). */
function earlier(aAt: string, aFirst: string, aId: string, bAt: string, bFirst: string, bId: string): boolean {
  return aAt < bAt || (aAt === bAt && (aFirst < bFirst || (aFirst === bFirst && aId < bId)));
}

/**
 * Incidents sharing a key with an incident of this upload: the user was met before. An incident
 * is a first-time one unless another incident with its key was identified earlier (ties broken by
 * first sighting, then id); those are flagged in `repeat` (by index into t). An earlier incident
 * that was completed or remediated was reinfected: returned, old incident id first.
 * Works on each key's incidents as they will be once this upload is applied: those holding the key
 * now, with this upload's incidents taking their answered values (an incident whose key changes
 * leaves its old group). Reading by key after the writes returned every incident of the upload again.
 * A group keeps only its earliest identified incident, not a list of members: an upload of 100,000
 * answers made an object or two per answer here, most of this step's time with the collections.
 */
async function linkByKey(
  storage: Storage, tx: WorkflowTx, ispId: string, t: AnswerTargets, changing: readonly number[], rowOf: (j: number) => AnswerRow, now: string,
): Promise<{ repeat: Uint8Array; reinfected: Reinfections }> {
  /** One key's group: its earliest identified incident (index into t, or -1 for one outside the upload), and those an answer can reinfect. */
  interface Group { at: string | null; first: string; id: string; j: number; done: { id: string; first: string }[] | null }
  const groups = new Map<string, Group>();
  const groupOf = (key: string): Group => {
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { at: null, first: '', id: '', j: -1, done: null }));
    return g;
  };
  const identified: number[] = [];
  const keys = new Set<string>();
  for (const j of changing) {
    const row = rowOf(j);
    if (row.result !== 'identified') continue;
    identified.push(j);
    keys.add(row.subscriberKey as string);
  }
  const holders = await findKeyHolders(storage, tx, ispId, [...keys]);
  if (holders.length > 0) {
    const changed = new Set(changing.map((j) => t.incidentId[j] as string));
    for (const h of holders) {
      if (changed.has(h.incidentId)) continue;
      const g = groupOf(h.subscriberKey);
      if (h.identifiedAt !== null && (g.at === null || earlier(h.identifiedAt, h.firstSeen, h.incidentId, g.at, g.first, g.id))) {
        g.at = h.identifiedAt;
        g.first = h.firstSeen;
        g.id = h.incidentId;
        g.j = -1;
      }
      if (h.state === 'completed' || h.state === 'remediated') (g.done ??= []).push({ id: h.incidentId, first: h.firstSeen });
    }
  }
  const groupOfOwn: Group[] = new Array<Group>(identified.length);
  for (let u = 0; u < identified.length; u++) {
    const j = identified[u] as number;
    const g = groupOf(rowOf(j).subscriberKey as string);
    groupOfOwn[u] = g;
    const first = t.firstSeen[j] as string;
    const id = t.incidentId[j] as string;
    if (g.at === null || earlier(now, first, id, g.at, g.first, g.id)) {
      g.at = now;
      g.first = first;
      g.id = id;
      g.j = j;
    }
  }
  const repeat = new Uint8Array(t.count);
  const reinfected: Reinfections = new Map();
  // In upload order, so that an old incident is reinfected by the first answer that reaches it.
  for (let u = 0; u < identified.length; u++) {
    const j = identified[u] as number;
    const g = groupOfOwn[u] as Group;
    if (g.j !== j) repeat[j] = 1;
    if (g.done === null) continue;
    const id = t.incidentId[j] as string;
    const first = t.firstSeen[j] as string;
    for (const o of g.done) {
      if (o.id !== id && o.first < first && !reinfected.has(o.id)) reinfected.set(o.id, { newId: id, at: first, previous: t.previousIncidentId[j] as string | null });
    }
  }
  return { repeat, reinfected };
}

/** Few in practice (a key answered again after its user cleaned up): one statement each. */
async function markReinfected(tx: WorkflowTx, reinfected: Reinfections, now: string): Promise<void> {
  for (const [oldId, r] of reinfected) {
    await tx.updateTable('incidents').set({ state: 'reinfected', reinfected_at: r.at, updated_at: now }).where('incident_id', '=', oldId).execute();
    await tx.insertInto('incident_state_log').values({ incident_id: oldId, state: 'reinfected', at: r.at, detail: `same subscriber key in incident ${r.newId}` }).execute();
    if (r.previous === null) await tx.updateTable('incidents').set({ previous_incident_id: oldId }).where('incident_id', '=', r.newId).execute();
  }
}
