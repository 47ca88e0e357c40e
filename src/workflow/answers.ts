import { acceptsAnswer, isIncidentState } from '../domain/incident-state.js';
import type { Storage } from '../storage/schema.js';
import { wdb, type WorkflowTx } from '../storage/repositories/workflow-tables.js';
import { findAnswerTargets, findKeyHolders, writeAnswers, type AnswerTarget, type AnswerWrite } from '../storage/repositories/answers-repository.js';
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
    // In incident_id order, the order writeAnswers wants; `rows[t.pos]` is the row that names t.
    const found = await findAnswerTargets(storage, tx, ispId, rows.map((r) => r.trackingId));
    const target = new Array<AnswerTarget | undefined>(rows.length);
    for (const t of found) target[t.pos] = t;
    const toApply: Applied[] = [];
    const change = new Array<Applied | undefined>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as AnswerRow;
      const inc = target[i];
      // Never requested means the ISP cannot know the ID: treated like a guess.
      if (inc === undefined || inc.state === 'detected') {
        rejected.push({ row: row.row, trackingId: row.trackingId, reason: UNKNOWN_TRACKING_ID });
        continue;
      }
      const same = inc.state === row.result && inc.subscriberKey === row.subscriberKey;
      if (same) continue;
      if (!isIncidentState(inc.state) || !acceptsAnswer(inc.state)) {
        rejected.push({ row: row.row, trackingId: row.trackingId, reason: `the answer cannot change any more: the incident is already ${inc.state}` });
        continue;
      }
      const a: Applied = { inc, row, repeat: false };
      toApply.push(a);
      change[i] = a;
    }
    if (rejected.length > 0) {
      rejected.sort((a, b) => a.row - b.row);
      return { ok: false, rejected };
    }
    const now = new Date().toISOString();
    const applied = rows.length;
    let uploadId: string | null = null;
    if (toApply.length > 0) {
      uploadId = newId('upl');
      await tx
        .insertInto('answer_uploads')
        .values({ upload_id: uploadId, isp_id: ispId, uploaded_at: now, actor, row_count: applied, content_type: String(upload.contentType).slice(0, 100) })
        .execute();
      // Keys are linked before anything is written, from the incidents as they are plus this upload's
      // answers, so that each incident is written once, first_notice included.
      const reinfected = await linkByKey(storage, tx, ispId, toApply, now);
      const writes: AnswerWrite[] = [];
      for (const t of found) {
        const a = change[t.pos];
        if (a === undefined) continue;
        const { result, subscriberKey } = a.row;
        writes.push({
          incidentId: t.incidentId,
          rowid: t.rowid,
          result,
          subscriberKey,
          firstNotice: result === 'identified' ? (a.repeat ? 0 : 1) : null,
          answerSeq: t.answerSeq,
        });
      }
      await writeAnswers(storage, tx, uploadId, now, writes);
      await markReinfected(tx, reinfected, now);
    }
    const tally = { identified: 0, 'not-found': 0, 'not-our-customer': 0 };
    for (const a of toApply) tally[a.row.result]++;
    await audit(storage, actor, 'answers.upload', ispId, { uploadId, rows: applied, changed: toApply.length, ...tally }, tx);
    await upload.beforeCommit?.();
    return { ok: true, applied, changed: toApply.length, uploadId };
  });
}

interface Applied {
  readonly inc: AnswerTarget;
  readonly row: AnswerRow;
  /** Set by linkByKey: another incident with this key was identified earlier. */
  repeat: boolean;
}

type Reinfections = Map<string, { newId: string; at: string; previous: string | null }>;

/**
 * Incidents sharing a key with an incident of this upload: the user was met before. An incident
 * is a first-time one unless another incident with its key was identified earlier (ties broken by
 * first sighting, then id); linkByKey marks the others `repeat`. An earlier incident that was
 * completed or remediated was reinfected: returned, old incident id first.
 * Works on each key's incidents as they will be once this upload is applied: those holding the key
 * now, with this upload's incidents taking their answered values (an incident whose key changes
 * leaves its old group). Reading by key after the writes returned every incident of the upload again.
 */
async function linkByKey(storage: Storage, tx: WorkflowTx, ispId: string, uploaded: readonly Applied[], now: string): Promise<Reinfections> {
  const identified = uploaded.filter((u) => u.row.result === 'identified' && u.row.subscriberKey !== null);
  interface Member { id: string; first: string; identifiedAt: string | null; previous: string | null; state: string }
  /** One key's incidents; `first` is the earliest identified one, `done` those an answer can reinfect. */
  interface Group { members: Member[]; first?: Member; done?: Member[] }
  const groups = new Map<string, Group>();
  const groupOf = (key: string): Group => {
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { members: [] }));
    return g;
  };
  const holders = await findKeyHolders(storage, tx, ispId, [...new Set(identified.map((u) => u.row.subscriberKey as string))]);
  if (holders.length > 0) {
    const changing = new Set(uploaded.map((u) => u.inc.incidentId));
    for (const h of holders) {
      if (!changing.has(h.incidentId)) groupOf(h.subscriberKey).members.push({ id: h.incidentId, first: h.firstSeen, identifiedAt: h.identifiedAt, previous: h.previousIncidentId, state: h.state });
    }
  }
  const own = identified.map((u) => {
    const m: Member = { id: u.inc.incidentId, first: u.inc.firstSeen, identifiedAt: now, previous: u.inc.previousIncidentId, state: 'identified' };
    const g = groupOf(u.row.subscriberKey as string);
    g.members.push(m);
    return { m, g };
  });
  const earlier = (o: Member, n: Member): boolean =>
    o.identifiedAt !== null && n.identifiedAt !== null &&
    (o.identifiedAt < n.identifiedAt || (o.identifiedAt === n.identifiedAt && (o.first < n.first || (o.first === n.first && o.id < n.id))));
  // The order is total, ids being unique.
  for (const g of groups.values()) {
    for (const m of g.members) {
      if (m.identifiedAt !== null && (g.first === undefined || earlier(m, g.first))) g.first = m;
      if (m.state === 'completed' || m.state === 'remediated') (g.done ??= []).push(m);
    }
  }
  const reinfected: Reinfections = new Map();
  // In upload order, so that an old incident is reinfected by the first answer that reaches it.
  for (let i = 0; i < identified.length; i++) {
    const u = identified[i] as Applied;
    const { m: n, g } = own[i] as { m: Member; g: Group };
    if (g.first !== undefined && g.first.id !== n.id && earlier(g.first, n)) u.repeat = true;
    for (const o of g.done ?? []) {
      if (o.id !== n.id && o.first < n.first && !reinfected.has(o.id)) reinfected.set(o.id, { newId: n.id, at: n.first, previous: n.previous });
    }
  }
  return reinfected;
}

/** Few in practice (a key answered again after its user cleaned up): one statement each. */
async function markReinfected(tx: WorkflowTx, reinfected: Reinfections, now: string): Promise<void> {
  for (const [oldId, r] of reinfected) {
    await tx.updateTable('incidents').set({ state: 'reinfected', reinfected_at: r.at, updated_at: now }).where('incident_id', '=', oldId).execute();
    await tx.insertInto('incident_state_log').values({ incident_id: oldId, state: 'reinfected', at: r.at, detail: `same subscriber key in incident ${r.newId}` }).execute();
    if (r.previous === null) await tx.updateTable('incidents').set({ previous_incident_id: oldId }).where('incident_id', '=', r.newId).execute();
  }
}
