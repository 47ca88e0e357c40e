import { sql } from 'kysely';
import type { Storage } from '../schema.js';
import type { WorkflowTx } from './workflow-tables.js';

const ANSWER_RESULTS = ['identified', 'not-found', 'not-our-customer'] as const;
type AnswerResult = (typeof ANSWER_RESULTS)[number];

/**
 * The statements of an ISP answer upload (src/workflow/answers.ts), each one statement for the
 * whole upload whatever its size: the rows travel as one JSON text (SQLite, read with json_each)
 * or as one array per column (PostgreSQL, read with unnest). Rows are handed over in the order of
 * the index they meet, so that 100,000 look-ups or writes walk each b-tree once instead of jumping
 * about it; on PostgreSQL the same order makes two uploads lock incidents in one order.
 * SQLite joins say CROSS JOIN, which keeps the list as the outer loop: without it the planner may
 * walk an ISP's whole index and scan the list once per entry.
 */

/** An incident an answer names, as it is before the upload. */
export interface AnswerTarget {
  /** Where its tracking ID is in the list asked for. */
  readonly pos: number;
  readonly incidentId: string;
  /** SQLite's rowid (the table's own b-tree key); null on PostgreSQL. */
  readonly rowid: number | null;
  readonly state: string;
  readonly subscriberKey: string | null;
  readonly answerSeq: number;
  readonly firstSeen: string;
  readonly previousIncidentId: string | null;
}

/** An incident that holds one of the given subscriber keys. */
export interface KeyHolder {
  readonly incidentId: string;
  readonly subscriberKey: string;
  readonly firstSeen: string;
  readonly identifiedAt: string | null;
  readonly previousIncidentId: string | null;
  readonly state: string;
}

/** One answer as written: the incident it changes and what it says. */
export interface AnswerWrite {
  readonly incidentId: string;
  readonly rowid: number | null;
  readonly result: AnswerResult;
  readonly subscriberKey: string | null;
  /** 1 for a first-time user, 0 for a repeat one, null when not identified. */
  readonly firstNotice: number | null;
  /** The incident's answer_seq before this answer. */
  readonly answerSeq: number;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rows come back as one JSON array built by the database: better-sqlite3 turns every value of every
 * row into a JS value one call at a time, which cost more than the look-ups themselves (about 0.5 s
 * for 100,000 rows of eight columns, against 0.05 s for the look-ups), while one JSON text is a
 * single value that JSON.parse reads in one go. PostgreSQL's driver returns json already parsed.
 */
function jsonRows(value: unknown): unknown[][] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
}

/**
 * The ISP's incidents by tracking ID, in incident_id order (the order writeAnswers wants; the
 * database sorts 100,000 rows faster than JS). Another ISP's incident is not returned, as if it did
 * not exist, so that both read the same to the caller. One statement; each ID's place in the
 * caller's list comes back as a number rather than the ID itself. On SQLite the tracking-ID index
 * alone gives the rowids, whose rows are then read in table order (0.1 s less than reading each row
 * where its ID led), and the JSON is built from the sorted rows' plain columns (a per-row json_array
 * sorted and then read again by json() cost 0.1 s more).
 */
export async function findAnswerTargets(storage: Storage, tx: WorkflowTx, ispId: string, trackingIds: readonly string[]): Promise<AnswerTarget[]> {
  if (trackingIds.length === 0) return [];
  const { rows } =
    storage.dialect === 'sqlite'
      ? await sql<{ found: unknown }>`
          WITH m AS MATERIALIZED (
            SELECT t.key AS k, i.rowid AS r FROM json_each(${JSON.stringify(trackingIds)}) t
            CROSS JOIN incidents i ON i.tracking_id = t.value
            ORDER BY i.rowid)
          SELECT json_group_array(json_array(k, id, rid, st, sk, seq, fs, prev)) AS found FROM (
            SELECT m.k AS k, i.incident_id AS id, i.rowid AS rid, i.state AS st, i.subscriber_key AS sk, i.answer_seq AS seq,
              i.first_seen AS fs, i.previous_incident_id AS prev
            FROM m CROSS JOIN incidents i ON i.rowid = m.r AND i.isp_id = ${ispId}
            ORDER BY i.incident_id)`.execute(tx)
      : await sql<{ found: unknown }>`
          SELECT json_agg(json_build_array(t.n - 1, i.incident_id, NULL, i.state, i.subscriber_key, i.answer_seq, i.first_seen, i.previous_incident_id) ORDER BY i.incident_id COLLATE "C") AS found
          FROM unnest(${trackingIds}::text[]) WITH ORDINALITY AS t(tracking_id, n) JOIN incidents i ON i.tracking_id = t.tracking_id AND i.isp_id = ${ispId}`.execute(tx);
  return jsonRows(rows[0]?.found).map((r) => ({
    pos: r[0] as number,
    incidentId: r[1] as string,
    rowid: r[2] as number | null,
    state: r[3] as string,
    subscriberKey: r[4] as string | null,
    answerSeq: Number(r[5]),
    firstSeen: r[6] as string,
    previousIncidentId: r[7] as string | null,
  }));
}

/** The ISP's incidents holding any of these subscriber keys (read through the (isp_id, subscriber_key) index). */
export async function findKeyHolders(storage: Storage, tx: WorkflowTx, ispId: string, keys: readonly string[]): Promise<KeyHolder[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort(byString);
  const { rows } =
    storage.dialect === 'sqlite'
      ? await sql<{ found: unknown }>`
          SELECT json_group_array(json_array(i.incident_id, i.subscriber_key, i.first_seen, i.identified_at, i.previous_incident_id, i.state)) AS found
          FROM json_each(${JSON.stringify(sorted)}) k CROSS JOIN incidents i ON i.isp_id = ${ispId} AND i.subscriber_key = k.value`.execute(tx)
      : await sql<{ found: unknown }>`
          SELECT json_agg(json_build_array(i.incident_id, i.subscriber_key, i.first_seen, i.identified_at, i.previous_incident_id, i.state)) AS found
          FROM unnest(${sorted}::text[]) AS k(subscriber_key) JOIN incidents i ON i.isp_id = ${ispId} AND i.subscriber_key = k.subscriber_key`.execute(tx);
  return jsonRows(rows[0]?.found).map((r) => ({
    incidentId: r[0] as string,
    subscriberKey: r[1] as string,
    firstSeen: r[2] as string,
    identifiedAt: r[3] as string | null,
    previousIncidentId: r[4] as string | null,
    state: r[5] as string,
  }));
}

/**
 * Writes an upload's answers, given in incident_id order (as findAnswerTargets returns them: the
 * answers' and the state log's incident indexes, and request_items', are then filled and read front
 * to back, which took a third less time than upload order). The answer rows, the incidents (state, key, the result's timestamp,
 * first_notice, answer_seq + 1), one state-log row each, and the answered counts of the requests
 * that listed an incident and had no answer for it since (the item's answer_seq is still the
 * incident's).
 */
export async function writeAnswers(storage: Storage, tx: WorkflowTx, uploadId: string, now: string, answers: readonly AnswerWrite[]): Promise<void> {
  if (answers.length === 0) return;
  const detail = `answer upload ${uploadId}`;
  if (storage.dialect === 'sqlite') await writeSqlite(tx, uploadId, now, detail, answers);
  else await writePostgres(tx, uploadId, now, detail, answers);
}

/**
 * Rows are grouped by what varies, so that most statements read a plain JSON list of ids whose
 * elements json_each hands out as they are: taking each row's fields out of a per-row array with
 * `->>` parses that array again each time (a third of the UPDATE's time when every field came so).
 * The UPDATE reads objects keyed by rowid, the identified ones' keys as values.
 */
async function writeSqlite(tx: WorkflowTx, uploadId: string, now: string, detail: string, answers: readonly AnswerWrite[]): Promise<void> {
  const idsOf: Record<AnswerResult, string[]> = { identified: [], 'not-found': [], 'not-our-customer': [] };
  const counted: [string, number, string | null][] = [];
  for (const a of answers) {
    idsOf[a.result].push(a.incidentId);
    counted.push([a.incidentId, a.answerSeq, a.result === 'identified' ? a.subscriberKey : null]);
  }
  const rows = JSON.stringify(counted);
  // Counted first, against the answer_seq the incidents had before this upload.
  await sql`
    UPDATE identification_requests SET answered_count = answered_count + c.n
    FROM (
      SELECT ri.request_id AS request_id, count(*) AS n
      FROM json_each(${rows}) a CROSS JOIN request_items ri ON ri.incident_id = a.value ->> 0 AND ri.answer_seq = a.value ->> 1
      GROUP BY ri.request_id
    ) c
    WHERE identification_requests.request_id = c.request_id`.execute(tx);
  if (idsOf.identified.length > 0) {
    await sql`
      INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
      SELECT ${uploadId}, a.value ->> 0, 'identified', a.value ->> 2, ${now} FROM json_each(${rows}) a WHERE a.value ->> 2 IS NOT NULL`.execute(tx);
  }
  for (const result of ANSWER_RESULTS) {
    const ids = idsOf[result];
    if (ids.length === 0) continue;
    const list = JSON.stringify(ids);
    if (result !== 'identified') {
      await sql`
        INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
        SELECT ${uploadId}, a.value, ${result}, NULL, ${now} FROM json_each(${list}) a`.execute(tx);
    }
    await sql`
      INSERT INTO incident_state_log (incident_id, state, at, detail)
      SELECT a.value, ${result}, ${now}, ${detail} FROM json_each(${list}) a`.execute(tx);
  }

  // By rowid, the table's own b-tree key, in rowid order (a JS object lists integer keys in
  // ascending order): the table's pages are then visited once each, which took a quarter less time
  // than incident_id order.
  const firstTime: Record<number, string> = {};
  const repeat: Record<number, string> = {};
  const rowidsOf: Record<AnswerResult, number[]> = { identified: [], 'not-found': [], 'not-our-customer': [] };
  for (const a of answers) {
    const rowid = a.rowid as number;
    if (a.result === 'identified') (a.firstNotice === 0 ? repeat : firstTime)[rowid] = a.subscriberKey as string;
    else rowidsOf[a.result].push(rowid);
  }
  for (const [group, firstNotice] of [[firstTime, 1], [repeat, 0]] as const) {
    const keys = JSON.stringify(group);
    if (keys === '{}') continue;
    await sql`
      UPDATE incidents SET
        state = 'identified', subscriber_key = a.value, identified_at = ${now}, first_notice = ${firstNotice},
        answer_seq = incidents.answer_seq + 1, updated_at = ${now}
      FROM json_each(${keys}) a
      WHERE incidents.rowid = a.key`.execute(tx);
  }
  for (const [result, stamp] of [['not-found', sql`not_found_at`], ['not-our-customer', sql`not_our_customer_at`]] as const) {
    const rowids = rowidsOf[result].sort((x, y) => x - y);
    if (rowids.length === 0) continue;
    await sql`
      UPDATE incidents SET
        state = ${result}, subscriber_key = NULL, ${stamp} = ${now}, first_notice = NULL,
        answer_seq = incidents.answer_seq + 1, updated_at = ${now}
      FROM json_each(${JSON.stringify(rowids)}) a
      WHERE incidents.rowid = a.value`.execute(tx);
  }
}

async function writePostgres(tx: WorkflowTx, uploadId: string, now: string, detail: string, answers: readonly AnswerWrite[]): Promise<void> {
  const ids = answers.map((a) => a.incidentId);
  const results = answers.map((a) => a.result);
  const keys = answers.map((a) => a.subscriberKey);
  await sql`
    UPDATE identification_requests SET answered_count = answered_count + c.n
    FROM (
      SELECT ri.request_id AS request_id, count(*) AS n
      FROM unnest(${ids}::text[], ${answers.map((a) => a.answerSeq)}::int[]) AS a(incident_id, answer_seq)
      JOIN request_items ri ON ri.incident_id = a.incident_id AND ri.answer_seq = a.answer_seq
      GROUP BY ri.request_id
    ) c
    WHERE identification_requests.request_id = c.request_id`.execute(tx);
  await sql`
    INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
    SELECT ${uploadId}, a.incident_id, a.result, a.subscriber_key, ${now}
    FROM unnest(${ids}::text[], ${results}::text[], ${keys}::text[]) AS a(incident_id, result, subscriber_key)`.execute(tx);
  await sql`
    INSERT INTO incident_state_log (incident_id, state, at, detail)
    SELECT a.incident_id, a.result, ${now}, ${detail} FROM unnest(${ids}::text[], ${results}::text[]) AS a(incident_id, result)`.execute(tx);
  await sql`
    UPDATE incidents SET
      state = a.result,
      subscriber_key = a.subscriber_key,
      identified_at = CASE WHEN a.result = 'identified' THEN ${now} ELSE incidents.identified_at END,
      not_found_at = CASE WHEN a.result = 'not-found' THEN ${now} ELSE incidents.not_found_at END,
      not_our_customer_at = CASE WHEN a.result = 'not-our-customer' THEN ${now} ELSE incidents.not_our_customer_at END,
      first_notice = a.first_notice,
      answer_seq = incidents.answer_seq + 1,
      updated_at = ${now}
    FROM unnest(${ids}::text[], ${results}::text[], ${keys}::text[], ${answers.map((a) => a.firstNotice)}::int[]) AS a(incident_id, result, subscriber_key, first_notice)
    WHERE incidents.incident_id = a.incident_id`.execute(tx);
}
