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
      await applyToIncidents(tx, uploadId, now);
      await linkReinfections(tx, uploadId, now);
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
    const rows = await tx
      .selectFrom('incidents')
      .select(['incident_id', 'tracking_id', 'state', 'subscriber_key'])
      .where('tracking_id', 'in', part.map((p) => p.id))
      .where('isp_id', '=', ispId)
      .execute();
    for (const r of rows) out.set(r.tracking_id, { incidentId: r.incident_id, state: r.state, subscriberKey: r.subscriber_key });
  }
  return out;
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
      first_notice = NULL,
      updated_at = ${now}
    FROM answers a
    WHERE a.upload_id = ${uploadId} AND a.incident_id = incidents.incident_id`.execute(tx);
  await sql`
    INSERT INTO incident_state_log (incident_id, state, at, detail)
    SELECT incident_id, result, answered_at, ${`answer upload ${uploadId}`} FROM answers WHERE upload_id = ${uploadId}`.execute(tx);
  // A user is new when no other incident of the ISP was identified with the same key before this one.
  await sql`
    UPDATE incidents SET first_notice = CASE WHEN EXISTS (
        SELECT 1 FROM incidents o
        WHERE o.isp_id = incidents.isp_id AND o.subscriber_key = incidents.subscriber_key AND o.incident_id <> incidents.incident_id
          AND o.identified_at IS NOT NULL
          AND (o.identified_at < incidents.identified_at OR (o.identified_at = incidents.identified_at AND o.first_seen < incidents.first_seen)
               OR (o.identified_at = incidents.identified_at AND o.first_seen = incidents.first_seen AND o.incident_id < incidents.incident_id))
      ) THEN 0 ELSE 1 END
    WHERE incident_id IN (SELECT incident_id FROM answers WHERE upload_id = ${uploadId} AND result = 'identified')`.execute(tx);
}

/** A key seen again after its earlier incident was completed or remediated: that one was reinfected. */
async function linkReinfections(tx: WorkflowTx, uploadId: string, now: string): Promise<void> {
  const links = await tx
    .selectFrom('answers as a')
    .innerJoin('incidents as n', 'n.incident_id', 'a.incident_id')
    .innerJoin('incidents as o', (j) => j.onRef('o.isp_id', '=', 'n.isp_id').onRef('o.subscriber_key', '=', 'n.subscriber_key').onRef('o.incident_id', '<>', 'n.incident_id'))
    .select(['o.incident_id as oldId', 'n.incident_id as newId', 'n.first_seen as firstSeen', 'n.previous_incident_id as previous'])
    .where('a.upload_id', '=', uploadId)
    .where('a.result', '=', 'identified')
    .where('o.state', 'in', ['completed', 'remediated'])
    .whereRef('o.first_seen', '<', 'n.first_seen')
    .execute();
  const done = new Set<string>();
  for (const l of links) {
    if (done.has(l.oldId)) continue;
    done.add(l.oldId);
    await tx.updateTable('incidents').set({ state: 'reinfected', reinfected_at: l.firstSeen, updated_at: now }).where('incident_id', '=', l.oldId).execute();
    await tx.insertInto('incident_state_log').values({ incident_id: l.oldId, state: 'reinfected', at: l.firstSeen, detail: `same subscriber key in incident ${l.newId}` }).execute();
    if (l.previous === null) await tx.updateTable('incidents').set({ previous_incident_id: l.oldId }).where('incident_id', '=', l.newId).execute();
  }
}
