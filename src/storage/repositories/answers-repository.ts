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

/**
 * The incidents an upload names, as they are before it, one list per column (index j is the same
 * incident in every list), in incident_id order. Columns rather than an object per incident: at
 * 100,000 rows, reading eight values per incident out of one JSON text cost more than the look-up
 * itself (JSON.parse alone took 0.15 s), while a comma-joined column is split in a few milliseconds.
 */
export interface AnswerTargets {
  readonly count: number;
  /** Where each incident's tracking ID is in the list asked for. */
  readonly pos: readonly number[];
  readonly incidentId: readonly string[];
  /** SQLite's rowids (the table's own b-tree key); empty on PostgreSQL. */
  readonly rowid: readonly number[];
  readonly state: readonly string[];
  readonly subscriberKey: readonly (string | null)[];
  readonly answerSeq: readonly number[];
  readonly firstSeen: readonly string[];
  readonly previousIncidentId: readonly (string | null)[];
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

/**
 * An upload's answers as written, one list per column (index j is one incident), in incident_id
 * order (the order findAnswerTargets gives).
 */
export interface AnswerWrites {
  readonly incidentId: string[];
  /** SQLite's rowids; unused on PostgreSQL. */
  readonly rowid: number[];
  readonly result: AnswerResult[];
  readonly subscriberKey: (string | null)[];
  /** 1 for a first-time user, 0 for a repeat one, null when not identified. */
  readonly firstNotice: (number | null)[];
  /** The incident's answer_seq before this answer. */
  readonly answerSeq: number[];
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

/** A comma-joined column of texts that hold no comma; '' (no rows) is none. */
function splitColumn(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

/**
 * A comma-joined column of integers, read digit by digit: split() would make a string
 * per row first, which lives just long enough for the garbage collector to copy it.
 */
function integerColumn(value: unknown, count: number): number[] {
  const out = new Array<number>(count);
  if (typeof value !== 'string') return out.fill(0);
  let k = 0;
  let n = 0;
  let sign = 1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44) {
      out[k++] = sign * n;
      n = 0;
      sign = 1;
    } else if (c === 45) sign = -1;
    else n = n * 10 + (c - 48);
  }
  out[k] = sign * n;
  return out;
}

/**
 * The ISP's incidents by tracking ID, in incident_id order (the order writeAnswers wants; the
 * database sorts 100,000 rows faster than JS). Another ISP's incident is not returned, as if it did
 * not exist, so that both read the same to the caller. One statement; each ID's place in the
 * caller's list comes back as a number rather than the ID itself. On SQLite the tracking-ID index
 * alone gives the rowids, whose rows are then read in table order (0.1 s less than reading each row
 * where its ID led). Columns that hold only integers, states, timestamps and incident ids (newId's
 * URL-safe text) come comma-joined, the usual state ('requested') as an empty text (one shared JS
 * string rather than one per row); subscriber keys and previous incidents, which may be null or
 * hold any printable character, as JSON arrays. All columns are aggregated in one pass, so that
 * their rows line up whatever the order.
 */
export async function findAnswerTargets(storage: Storage, tx: WorkflowTx, ispId: string, trackingIds: readonly string[]): Promise<AnswerTargets> {
  const none: AnswerTargets = { count: 0, pos: [], incidentId: [], rowid: [], state: [], subscriberKey: [], answerSeq: [], firstSeen: [], previousIncidentId: [] };
  if (trackingIds.length === 0) return none;
  if (storage.dialect === 'sqlite') {
    const { rows } = await sql<Record<'k' | 'id' | 'rid' | 'st' | 'sk' | 'seq' | 'fs' | 'prev', unknown>>`
      WITH m AS MATERIALIZED (
        SELECT t.key AS k, i.rowid AS r FROM json_each(${JSON.stringify(trackingIds)}) t
        CROSS JOIN incidents i ON i.tracking_id = t.value
        ORDER BY i.rowid)
      SELECT group_concat(k) AS k, group_concat(id) AS id, group_concat(rid) AS rid, group_concat(CASE st WHEN 'requested' THEN '' ELSE st END) AS st,
        json_group_array(sk) AS sk, group_concat(seq) AS seq, group_concat(fs) AS fs, json_group_array(prev) AS prev FROM (
        SELECT m.k AS k, i.incident_id AS id, i.rowid AS rid, i.state AS st, i.subscriber_key AS sk, i.answer_seq AS seq,
          i.first_seen AS fs, i.previous_incident_id AS prev
        FROM m CROSS JOIN incidents i ON i.rowid = m.r AND i.isp_id = ${ispId}
        ORDER BY i.incident_id)`.execute(tx);
    const r = rows[0];
    // The JSON column counts the rows whatever they hold (json_group_array of no rows is '[]').
    const subscriberKey = JSON.parse(String(r?.sk ?? '[]')) as (string | null)[];
    const count = subscriberKey.length;
    if (r === undefined || count === 0) return none;
    const incidentId = splitColumn(r.id);
    const firstSeen = splitColumn(r.fs);
    // Not splitColumn: one 'requested' incident is an empty text.
    const state = String(r.st ?? '').split(',').map((st) => (st === '' ? 'requested' : st));
    if (incidentId.length !== count || firstSeen.length !== count || state.length !== count) {
      throw new Error('answer look-up: an incident id, state or first_seen holds a comma, which the comma-joined columns cannot carry');
    }
    return {
      count,
      pos: integerColumn(r.k, count),
      incidentId,
      rowid: integerColumn(r.rid, count),
      state,
      subscriberKey,
      answerSeq: integerColumn(r.seq, count),
      firstSeen,
      previousIncidentId: JSON.parse(r.prev as string) as (string | null)[],
    };
  }
  const { rows } = await sql<{ found: unknown }>`
    SELECT json_agg(json_build_array(t.n - 1, i.incident_id, i.state, i.subscriber_key, i.answer_seq, i.first_seen, i.previous_incident_id) ORDER BY i.incident_id COLLATE "C") AS found
    FROM unnest(${trackingIds}::text[]) WITH ORDINALITY AS t(tracking_id, n) JOIN incidents i ON i.tracking_id = t.tracking_id AND i.isp_id = ${ispId}`.execute(tx);
  const found = jsonRows(rows[0]?.found);
  return {
    count: found.length,
    pos: found.map((x) => x[0] as number),
    incidentId: found.map((x) => x[1] as string),
    rowid: [],
    state: found.map((x) => x[2] as string),
    subscriberKey: found.map((x) => x[3] as string | null),
    answerSeq: found.map((x) => Number(x[4])),
    firstSeen: found.map((x) => x[5] as string),
    previousIncidentId: found.map((x) => x[6] as string | null),
  };
}

/**
 * The ISP's incidents holding any of these subscriber keys, read through the (isp_id, subscriber_key)
 * index; it holds keyed incidents only (migration 010), which `IS NOT NULL` tells both planners.
 */
export async function findKeyHolders(storage: Storage, tx: WorkflowTx, ispId: string, keys: readonly string[]): Promise<KeyHolder[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort(byString);
  const { rows } =
    storage.dialect === 'sqlite'
      ? await sql<{ found: unknown }>`
          SELECT json_group_array(json_array(i.incident_id, i.subscriber_key, i.first_seen, i.identified_at, i.previous_incident_id, i.state)) AS found
          FROM json_each(${JSON.stringify(sorted)}) k CROSS JOIN incidents i ON i.isp_id = ${ispId} AND i.subscriber_key = k.value AND i.subscriber_key IS NOT NULL`.execute(tx)
      : await sql<{ found: unknown }>`
          SELECT json_agg(json_build_array(i.incident_id, i.subscriber_key, i.first_seen, i.identified_at, i.previous_incident_id, i.state)) AS found
          FROM unnest(${sorted}::text[]) AS k(subscriber_key) JOIN incidents i ON i.isp_id = ${ispId} AND i.subscriber_key = k.subscriber_key AND i.subscriber_key IS NOT NULL`.execute(tx);
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
export async function writeAnswers(storage: Storage, tx: WorkflowTx, uploadId: string, now: string, answers: AnswerWrites): Promise<void> {
  if (answers.incidentId.length === 0) return;
  const detail = `answer upload ${uploadId}`;
  if (storage.dialect === 'sqlite') await writeSqlite(tx, uploadId, now, detail, answers);
  else await writePostgres(tx, uploadId, now, detail, answers);
}

/**
 * Every statement reads a plain JSON list, or an object whose keys are ids, whose entries json_each
 * hands out as they are: taking a row's fields out of a per-row array with `->>` parses that array
 * again each time (half the time of the count and of the answers' INSERT, and a third of the
 * UPDATE's). Lists of existing strings and numbers go through one JSON.stringify each; only the
 * id-to-key pairs are strings made per row (ids need no escaping, keys go through JSON.stringify).
 */
async function writeSqlite(tx: WorkflowTx, uploadId: string, now: string, detail: string, w: AnswerWrites): Promise<void> {
  const n = w.incidentId.length;
  const ids: Record<AnswerResult, string[]> = { identified: [], 'not-found': [], 'not-our-customer': [] };
  /** Ids by their answer_seq before this upload: most uploads have one or two values. */
  const bySeq: Record<number, string[]> = {};
  const keyOf: string[] = [];
  /** Each identified incident's key as JSON text, for the answers and again for the UPDATE. */
  const keyJson = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    const id = w.incidentId[j] as string;
    const result = w.result[j] as AnswerResult;
    ids[result].push(id);
    (bySeq[w.answerSeq[j] as number] ??= []).push(id);
    if (result === 'identified') keyOf.push(`"${id}":${(keyJson[j] = JSON.stringify(w.subscriberKey[j]))}`);
  }
  // Counted first, against the answer_seq the incidents had before this upload.
  await sql`
    UPDATE identification_requests SET answered_count = answered_count + c.n
    FROM (
      SELECT ri.request_id AS request_id, count(*) AS n
      FROM json_each(${JSON.stringify(bySeq)}) s CROSS JOIN json_each(s.value) a
      CROSS JOIN request_items ri ON ri.incident_id = a.value AND ri.answer_seq = CAST(s.key AS INTEGER)
      GROUP BY ri.request_id
    ) c
    WHERE identification_requests.request_id = c.request_id`.execute(tx);
  if (keyOf.length > 0) {
    await sql`
      INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
      SELECT ${uploadId}, a.key, 'identified', a.value, ${now} FROM json_each(${`{${keyOf.join(',')}}`}) a`.execute(tx);
  }
  for (const result of ANSWER_RESULTS) {
    if (ids[result].length === 0) continue;
    const list = JSON.stringify(ids[result]);
    if (result !== 'identified') {
      await sql`
        INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
        SELECT ${uploadId}, a.value, ${result}, NULL, ${now} FROM json_each(${list}) a`.execute(tx);
    }
    await sql`
      INSERT INTO incident_state_log (incident_id, state, at, detail)
      SELECT a.value, ${result}, ${now}, ${detail} FROM json_each(${list}) a`.execute(tx);
  }

  // By rowid, the table's own b-tree key, in rowid order: the table's pages are then visited once
  // each, which took a quarter less time than incident_id order. Sorted as numbers in a typed array
  // (rowid and index packed into one exact double), without an object per row.
  const order = new Float64Array(n);
  let exact = n < PACK;
  for (let j = 0; j < n; j++) {
    const rowid = w.rowid[j] as number;
    if (rowid >= 2 ** 32 || rowid < 0) exact = false;
    order[j] = rowid * PACK + j;
  }
  order.sort();
  const indexAt = (k: number): number => (exact ? (order[k] as number) % PACK : k);
  const firstTime: string[] = [];
  const repeat: string[] = [];
  const rowids: Record<'not-found' | 'not-our-customer', number[]> = { 'not-found': [], 'not-our-customer': [] };
  for (let k = 0; k < n; k++) {
    const j = indexAt(k);
    const result = w.result[j] as AnswerResult;
    if (result === 'identified') (w.firstNotice[j] === 0 ? repeat : firstTime).push(`"${w.rowid[j] as number}":${keyJson[j] as string}`);
    else rowids[result].push(w.rowid[j] as number);
  }
  for (const [group, firstNotice] of [[firstTime, 1], [repeat, 0]] as const) {
    if (group.length === 0) continue;
    await sql`
      UPDATE incidents SET
        state = 'identified', subscriber_key = a.value, identified_at = ${now}, first_notice = ${firstNotice},
        answer_seq = incidents.answer_seq + 1, updated_at = ${now}
      FROM json_each(${`{${group.join(',')}}`}) a
      WHERE incidents.rowid = a.key`.execute(tx);
  }
  for (const [result, stamp] of [['not-found', sql`not_found_at`], ['not-our-customer', sql`not_our_customer_at`]] as const) {
    if (rowids[result].length === 0) continue;
    await sql`
      UPDATE incidents SET
        state = ${result}, subscriber_key = NULL, ${stamp} = ${now}, first_notice = NULL,
        answer_seq = incidents.answer_seq + 1, updated_at = ${now}
      FROM json_each(${JSON.stringify(rowids[result])}) a
      WHERE incidents.rowid = a.value`.execute(tx);
  }
}

/** rowid * PACK + index is exact in a double while rowid < 2^32 and index < PACK (2^21 rows). */
const PACK = 2 ** 21;

async function writePostgres(tx: WorkflowTx, uploadId: string, now: string, detail: string, w: AnswerWrites): Promise<void> {
  const ids = w.incidentId;
  await sql`
    UPDATE identification_requests SET answered_count = answered_count + c.n
    FROM (
      SELECT ri.request_id AS request_id, count(*) AS n
      FROM unnest(${ids}::text[], ${w.answerSeq}::int[]) AS a(incident_id, answer_seq)
      JOIN request_items ri ON ri.incident_id = a.incident_id AND ri.answer_seq = a.answer_seq
      GROUP BY ri.request_id
    ) c
    WHERE identification_requests.request_id = c.request_id`.execute(tx);
  await sql`
    INSERT INTO answers (upload_id, incident_id, result, subscriber_key, answered_at)
    SELECT ${uploadId}, a.incident_id, a.result, a.subscriber_key, ${now}
    FROM unnest(${ids}::text[], ${w.result}::text[], ${w.subscriberKey}::text[]) AS a(incident_id, result, subscriber_key)`.execute(tx);
  await sql`
    INSERT INTO incident_state_log (incident_id, state, at, detail)
    SELECT a.incident_id, a.result, ${now}, ${detail} FROM unnest(${ids}::text[], ${w.result}::text[]) AS a(incident_id, result)`.execute(tx);
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
    FROM unnest(${ids}::text[], ${w.result}::text[], ${w.subscriberKey}::text[], ${w.firstNotice}::int[]) AS a(incident_id, result, subscriber_key, first_notice)
    WHERE incidents.incident_id = a.incident_id`.execute(tx);
}
