import { sql } from 'kysely';
import { acceptsAnswer, isIncidentState } from '../domain/incident-state.js';
import type { Storage } from '../storage/schema.js';
import { insertMany, wdb, type WorkflowTx } from '../storage/repositories/workflow-tables.js';
import { chunkRows } from '../storage/repositories/batch.js';
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
    const known = await lookUp(tx, ispId, parsed.rows.map((r) => r.trackingId));
    const toApply: { incidentId: string; row: AnswerRow }[] = [];
    for (const row of parsed.rows) {
      const inc = known.get(row.trackingId);
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
      toApply.push({ incidentId: inc.incidentId, row });
    }
    if (rejected.length > 0) {
      rejected.sort((a, b) => a.row - b.row);
      return { ok: false, rejected };
    }
    const now = new Date().toISOString();
    const applied = parsed.rows.length;
    let uploadId: string | null = null;
    if (toApply.length > 0) {
      uploadId = newId('upl');
      await tx
        .insertInto('answer_uploads')
        .values({ upload_id: uploadId, isp_id: ispId, uploaded_at: now, actor, row_count: applied, content_type: String(upload.contentType).slice(0, 100) })
        .execute();
      await insertMany(
        storage,
        tx,
        'answers',
        toApply.map((a) => ({ upload_id: uploadId as string, incident_id: a.incidentId, result: a.row.result, subscriber_key: a.row.subscriberKey, answered_at: now })),
      );
      await countAnswered(tx, uploadId);
      await applyToIncidents(tx, uploadId, now);
      await linkByKey(tx, ispId, toApply, now);
    }
    const tally = { identified: 0, 'not-found': 0, 'not-our-customer': 0 };
    for (const a of toApply) tally[a.row.result]++;
    await audit(storage, actor, 'answers.upload', ispId, { uploadId, rows: applied, changed: toApply.length, ...tally }, tx);
    await upload.beforeCommit?.();
    return { ok: true, applied, changed: toApply.length, uploadId };
  });
}

async function lookUp(tx: WorkflowTx, ispId: string, ids: readonly string[]): Promise<Map<string, { incidentId: string; state: string; subscriberKey: string | null }>> {
  const out = new Map<string, { incidentId: string; state: string; subscriberKey: string | null }>();
  for (const part of chunkRows(ids.map((id) => ({ id })), 5000)) {
    // The ISP is checked here, not in SQL: with it in the WHERE clause SQLite may walk the ISP's index
    // instead of the tracking ID's, once per chunk.
    const rows = await tx
      .selectFrom('incidents')
      .select(['incident_id', 'tracking_id', 'state', 'subscriber_key', 'isp_id'])
      .where('tracking_id', 'in', part.map((p) => p.id))
      .execute();
    for (const r of rows) if (r.isp_id === ispId) out.set(r.tracking_id, { incidentId: r.incident_id, state: r.state, subscriberKey: r.subscriber_key });
  }
  return out;
}

/**
 * Adds this upload's answers to the answered counts of the requests that listed the incidents and
 * have had no answer for them since (the incident's answer_seq is still the one the item noted).
 * Runs before the incidents count this answer.
 */
async function countAnswered(tx: WorkflowTx, uploadId: string): Promise<void> {
  await sql`
    UPDATE identification_requests SET answered_count = answered_count + c.n
    FROM (
      SELECT ri.request_id AS request_id, count(*) AS n
      FROM answers a
      JOIN incidents i ON i.incident_id = a.incident_id
      JOIN request_items ri ON ri.incident_id = a.incident_id
      WHERE a.upload_id = ${uploadId} AND ri.answer_seq = i.answer_seq
      GROUP BY ri.request_id
    ) c
    WHERE identification_requests.request_id = c.request_id`.execute(tx);
}

/** One set-based UPDATE … FROM (SQLite ≥ 3.33 and PostgreSQL): no per-row round trips. */
async function applyToIncidents(tx: WorkflowTx, uploadId: string, now: string): Promise<void> {
  await sql`
    UPDATE incidents SET
      state = a.result,
      subscriber_key = a.subscriber_key,
      identified_at = CASE WHEN a.result = 'identified' THEN a.answered_at ELSE incidents.identified_at END,
      not_found_at = CASE WHEN a.result = 'not-found' THEN a.answered_at ELSE incidents.not_found_at END,
      not_our_customer_at = CASE WHEN a.result = 'not-our-customer' THEN a.answered_at ELSE incidents.not_our_customer_at END,
      first_notice = CASE WHEN a.result = 'identified' THEN 1 ELSE NULL END,
      answer_seq = incidents.answer_seq + 1,
      updated_at = ${now}
    FROM answers a
    WHERE a.upload_id = ${uploadId} AND a.incident_id = incidents.incident_id`.execute(tx);
  await sql`
    INSERT INTO incident_state_log (incident_id, state, at, detail)
    SELECT incident_id, result, answered_at, ${`answer upload ${uploadId}`} FROM answers WHERE upload_id = ${uploadId}`.execute(tx);
}

/**
 * Incidents sharing a key with an incident of this upload: the user was met before. An incident
 * is a first-time one unless another incident with its key was identified earlier (ties broken by
 * first sighting, then id). An earlier incident that was completed or remediated was reinfected.
 * Reads each key's incidents once (by key, after this upload's answers were applied) and compares
 * them here: joining every answer to every incident sharing its key returned one row per pair,
 * 128,000 rows for 80,000 answers, and took most of an upload's time.
 */
async function linkByKey(tx: WorkflowTx, ispId: string, uploaded: readonly { incidentId: string; row: AnswerRow }[], now: string): Promise<void> {
  const identified = uploaded.filter((u) => u.row.result === 'identified' && u.row.subscriberKey !== null);
  const keys = [...new Set(identified.map((u) => u.row.subscriberKey as string))];
  interface Member { id: string; first: string; identifiedAt: string | null; previous: string | null; state: string }
  const byKey = new Map<string, Member[]>();
  const byId = new Map<string, Member>();
  for (const part of chunkRows(keys.map((k) => ({ k })), 5000)) {
    const rows = await tx
      .selectFrom('incidents')
      .select(['incident_id', 'subscriber_key', 'first_seen', 'identified_at', 'previous_incident_id', 'state'])
      .where('isp_id', '=', ispId)
      .where('subscriber_key', 'in', part.map((p) => p.k))
      .execute();
    for (const r of rows) {
      const m: Member = { id: r.incident_id, first: r.first_seen, identifiedAt: r.identified_at, previous: r.previous_incident_id, state: r.state };
      byId.set(m.id, m);
      const group = byKey.get(r.subscriber_key as string);
      if (group === undefined) byKey.set(r.subscriber_key as string, [m]);
      else group.push(m);
    }
  }
  const earlier = (o: Member, n: Member): boolean =>
    o.identifiedAt !== null && n.identifiedAt !== null &&
    (o.identifiedAt < n.identifiedAt || (o.identifiedAt === n.identifiedAt && (o.first < n.first || (o.first === n.first && o.id < n.id))));
  // Per key: the earliest identified incident (the order is total, ids being unique) and the ones an answer can reinfect.
  const firstOf = new Map<string, Member>();
  const finished = new Map<string, Member[]>();
  for (const [key, group] of byKey) {
    let min: Member | undefined;
    for (const m of group) if (m.identifiedAt !== null && (min === undefined || earlier(m, min))) min = m;
    if (min !== undefined) firstOf.set(key, min);
    const done = group.filter((m) => m.state === 'completed' || m.state === 'remediated');
    if (done.length > 0) finished.set(key, done);
  }
  const repeat = new Set<string>();
  const reinfected = new Map<string, { newId: string; at: string; previous: string | null }>();
  // In upload order, so that an old incident is reinfected by the first answer that reaches it.
  for (const u of identified) {
    const key = u.row.subscriberKey as string;
    const n = byId.get(u.incidentId);
    if (n === undefined) continue;
    const min = firstOf.get(key);
    if (min !== undefined && min.id !== n.id && earlier(min, n)) repeat.add(n.id);
    for (const o of finished.get(key) ?? []) {
      if (o.id !== n.id && o.first < n.first && !reinfected.has(o.id)) reinfected.set(o.id, { newId: n.id, at: n.first, previous: n.previous });
    }
  }
  for (const part of chunkRows([...repeat].map((id) => ({ id })), 5000)) {
    await tx.updateTable('incidents').set({ first_notice: 0 }).where('incident_id', 'in', part.map((p) => p.id)).execute();
  }
  for (const [oldId, r] of reinfected) {
    await tx.updateTable('incidents').set({ state: 'reinfected', reinfected_at: r.at, updated_at: now }).where('incident_id', '=', oldId).execute();
    await tx.insertInto('incident_state_log').values({ incident_id: oldId, state: 'reinfected', at: r.at, detail: `same subscriber key in incident ${r.newId}` }).execute();
    if (r.previous === null) await tx.updateTable('incidents').set({ previous_incident_id: oldId }).where('incident_id', '=', r.newId).execute();
  }
}
