import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Storage } from '../storage/schema.js';
import { wdb, type RequestItemsTable, type WorkflowDatabase } from '../storage/repositories/workflow-tables.js';
import { newId } from './identifiers.js';
import { isoWeek } from './iso-week.js';

/** One attack as the ISP needs it to find a subscriber behind carrier-grade NAT: time, source port, destination. */
export interface Observation {
  readonly time: string;
  readonly srcPort: number | null;
  readonly dstIp: string | null;
  readonly dstPort: number | null;
  readonly protocol: string;
}

export interface RequestItem {
  readonly trackingId: string;
  readonly ticket: string;
  readonly srcIp: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
  readonly vulnerabilities: readonly string[];
  /** Where the user's warning points: `${publicUrl}/t/${trackingId}` (a path when no public URL is known). */
  readonly trackingUrl: string;
  readonly observations: readonly Observation[];
}

/** The "identify these users" list for one ISP (docs/isp-api.md). */
export interface IdentificationRequest {
  readonly requestId: string;
  readonly isp: string;
  readonly week: string;
  readonly createdAt: string;
  readonly items: readonly RequestItem[];
}

export interface RequestSummary {
  readonly requestId: string;
  readonly week: string;
  readonly createdAt: string;
  readonly itemCount: number;
  readonly answeredCount: number;
}

export interface RequestOptions {
  /** The public site's base URL, no trailing slash, for tracking links. */
  readonly publicUrl?: string | null;
}

/**
 * request_items as migration 006 left it: each item keeps its incident as it was when the request
 * was built, so a download reads this table alone, in request order.
 */
interface RequestItemsSnapshotTable extends RequestItemsTable {
  tracking_id: string;
  ticket: string;
  src_ip: string;
  first_seen: string;
  attack_count: number;
  /** JSON array of text, as on the incident. */
  bot_names: string;
  vulnerabilities: string;
  /** The observations JSON as served (null when the incident had none stored). */
  observations: string | null;
}

type RequestsDb = Kysely<Omit<WorkflowDatabase, 'request_items'> & { request_items: RequestItemsSnapshotTable }>;

function rdb(storage: Storage): RequestsDb {
  return wdb(storage) as unknown as RequestsDb;
}

/**
 * Builds this week's identification request for each ISP (or the one given): every incident not yet
 * requested, and every one still unidentified that showed new activity since it was last requested.
 * An ISP with nothing to ask gets no request, so running it twice in a week asks nothing twice.
 * Returns the whole requests; buildWeeklyRequestSummaries does the same work without reading them back.
 */
export async function buildWeeklyRequests(
  storage: Storage,
  options: { now?: Date; ispId?: string } & RequestOptions = {},
): Promise<IdentificationRequest[]> {
  const out: IdentificationRequest[] = [];
  for (const b of await buildWeeklyRequestSummaries(storage, options)) {
    const r = await getRequest(storage, b.isp, b.requestId, options);
    if (r !== null) out.push(r);
  }
  return out;
}

/** A request just built: which ISP it asks and how many incidents. */
export interface BuiltRequest extends RequestSummary {
  readonly isp: string;
}

/** buildWeeklyRequests without reading the built requests back: for schedulers and the API, which stream them. */
export async function buildWeeklyRequestSummaries(storage: Storage, options: { now?: Date; ispId?: string } = {}): Promise<BuiltRequest[]> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const week = isoWeek(now);
  const db = rdb(storage);
  // Byte order on both dialects (PostgreSQL would otherwise use the database's locale).
  const order = storage.dialect === 'postgres' ? sql`order by i.first_seen collate "C", i.tracking_id collate "C"` : sql`order by i.first_seen, i.tracking_id`;
  let ispQuery = db.selectFrom('isps').select('id').orderBy('id');
  if (options.ispId !== undefined) ispQuery = ispQuery.where('id', '=', options.ispId);
  const isps = await ispQuery.execute();
  const built: BuiltRequest[] = [];
  for (const { id: ispId } of isps) {
    const made = await db.transaction().execute(async (tx) => {
      const id = newId('req');
      // Every incident not yet requested, and every unidentified one with activity newer than its last
      // request. Written with the states as one list, so that the ISP's (isp_id, state) index finds the
      // candidates, not a walk over all the ISP's incidents ever made.
      const due = sql<boolean>`i.isp_id = ${ispId} AND i.state IN ('detected', 'requested', 'not-found') AND (i.state = 'detected' OR i.last_seen > i.requested_until)`;
      // Set-based from here on: 100,000 incidents take a handful of statements, not 100,000 round trips.
      // The header first: on SQLite its write takes the database's write lock, so the incidents cannot
      // change until the commit and the statements below all see the same due incidents.
      await tx.insertInto('identification_requests').values({ request_id: id, isp_id: ispId, week, created_at: at, item_count: 0, answered_count: 0 }).execute();
      // The items with the request's copy of their incidents, numbered in download order (downloads
      // page through the key and read nothing else).
      const added = await sql`
        INSERT ${storage.dialect === 'sqlite' ? sql`OR FAIL ` : sql``}INTO request_items (request_id, seq, incident_id, observed_until, answer_seq,
          tracking_id, ticket, src_ip, first_seen, attack_count, bot_names, vulnerabilities, observations)
        SELECT ${id}, row_number() over (${order}), i.incident_id, i.last_seen, i.answer_seq,
          i.tracking_id, i.ticket, i.src_ip, i.first_seen, i.attack_count, i.bot_names, i.vulnerabilities, o.observations
        FROM incidents i LEFT JOIN incident_observations o ON o.incident_id = i.incident_id
        WHERE ${due}`.execute(tx);
      const count = Number(added.numAffectedRows ?? 0n);
      if (count === 0) {
        await tx.deleteFrom('identification_requests').where('request_id', '=', id).execute();
        return null;
      }
      await tx.updateTable('identification_requests').set({ item_count: count }).where('request_id', '=', id).execute();
      const detail = `request ${id}`;
      if (storage.dialect === 'sqlite') {
        // Nothing changed the incidents since the items were chosen (see above): the same condition
        // walks the ISP's incidents in table order, where looking each item's incident up by id
        // wanders all over the table. OR FAIL: a failure rolls the whole transaction back anyway, so
        // SQLite need not copy every page the statement changes into a statement journal first.
        // In incident order, the log's incident index is filled front to back (a third faster).
        await sql`INSERT OR FAIL INTO incident_state_log (incident_id, state, at, detail) SELECT i.incident_id, 'requested', ${at}, ${detail} FROM incidents i WHERE ${due} ORDER BY i.incident_id`.execute(tx);
        await sql`UPDATE OR FAIL incidents AS i SET state = 'requested', requested_at = ${at}, requested_until = i.last_seen, updated_at = ${at} WHERE ${due}`.execute(tx);
      } else {
        // PostgreSQL's other connections may commit between two statements: go by the items.
        await sql`INSERT INTO incident_state_log (incident_id, state, at, detail) SELECT incident_id, 'requested', ${at}, ${detail} FROM request_items WHERE request_id = ${id}`.execute(tx);
        await sql`
          UPDATE incidents SET state = 'requested', requested_at = ${at}, requested_until = ri.observed_until, updated_at = ${at}
          FROM request_items ri WHERE ri.request_id = ${id} AND ri.incident_id = incidents.incident_id`.execute(tx);
      }
      return { id, count };
    });
    if (made !== null) built.push({ requestId: made.id, isp: ispId, week, createdAt: at, itemCount: made.count, answeredCount: 0 });
  }
  return built;
}

/**
 * The ISP's requests, newest first. `answeredCount` counts the items answered after the request was
 * made (kept by the answer upload, so a list never reads the items).
 */
export async function listRequests(storage: Storage, ispId: string): Promise<RequestSummary[]> {
  const rows = await wdb(storage)
    .selectFrom('identification_requests')
    .select(['request_id', 'week', 'created_at', 'item_count', 'answered_count'])
    .where('isp_id', '=', ispId)
    .orderBy('created_at', 'desc')
    .orderBy('request_id')
    .execute();
  return rows.map((r) => ({ requestId: r.request_id, week: r.week, createdAt: r.created_at, itemCount: Number(r.item_count), answeredCount: Number(r.answered_count) }));
}

/** A request without its items. */
export interface RequestHeader {
  readonly requestId: string;
  readonly isp: string;
  readonly week: string;
  readonly createdAt: string;
}

/** The request's header; null when it does not exist or is another ISP's. */
export async function requestHeader(storage: Storage, ispId: string, requestId: string): Promise<RequestHeader | null> {
  if (typeof requestId !== 'string' || requestId.length > 100) return null;
  const req = await wdb(storage)
    .selectFrom('identification_requests')
    .select(['request_id', 'isp_id', 'week', 'created_at'])
    .where('request_id', '=', requestId)
    .where('isp_id', '=', ispId)
    .executeTakeFirst();
  return req === undefined ? null : { requestId: req.request_id, isp: req.isp_id, week: req.week, createdAt: req.created_at };
}

/** One request item as read from the database, before it is turned into an API item or text. */
export interface ItemRow {
  readonly seq: number;
  readonly tracking_id: string;
  readonly ticket: string;
  readonly src_ip: string;
  readonly first_seen: string;
  readonly observed_until: string;
  readonly attack_count: number;
  readonly bot_names: string;
  readonly vulnerabilities: string;
  readonly observations: string | null;
}

/** Items per database read: small enough that other API calls are served between two pages. */
export const ITEM_PAGE_SIZE = 2000;

/**
 * The request's items in request order, a page at a time. Between pages the event loop is let go,
 * so a 100,000-item download does not hold up small calls. The items of a request never change:
 * each keeps its incident as it was when the request was built, so this reads request_items alone.
 */
export async function* requestItemPages(storage: Storage, requestId: string, pageSize = ITEM_PAGE_SIZE): AsyncGenerator<ItemRow[]> {
  const db = rdb(storage);
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('request_items')
      .select(['seq', 'tracking_id', 'ticket', 'src_ip', 'first_seen', 'observed_until', 'attack_count', 'bot_names', 'vulnerabilities', 'observations'])
      .where('request_id', '=', requestId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]?.seq);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The request's items as JSON text, a page of items at a time, in request order: each item equals
 * JSON.stringify of toRequestItem's result; items are joined by commas, and every page but the first
 * starts with one. The database writes the text (stored JSON passes through, text values are quoted as
 * JSON.stringify quotes them), so a 100,000-item download turns 50 values into JavaScript rather than
 * a million. SQLite hands the pages over as UTF-8 Buffers, ready for a socket (no JavaScript string
 * to decode and encode again); PostgreSQL as strings. Pages as requestItemPages.
 * `sorted`: always sort each page inside the aggregate (what SQLite falls back to; for tests).
 */
export async function* requestItemJsonPages(
  storage: Storage,
  requestId: string,
  base: string,
  pageSize = ITEM_PAGE_SIZE,
  sorted = false,
): AsyncGenerator<string | Buffer> {
  const db = rdb(storage);
  const pg = storage.dialect === 'postgres';
  // SQLite's json_quote and PostgreSQL's to_json escape exactly as JSON.stringify does (tested).
  const q = (column: string): RawBuilder<string> => (pg ? sql`to_json(${sql.ref(column)})::text` : sql`json_quote(${sql.ref(column)})`);
  // Quoted here: the tracking ID follows inside the same JSON string, without its opening quote.
  const url = JSON.stringify(`${base}/t/`).slice(0, -1);
  const item = sql<string>`concat('{"trackingId":', ${q('tracking_id')}, ',"ticket":', ${q('ticket')}, ',"srcIp":', ${q('src_ip')},
    ',"firstSeen":', ${q('first_seen')}, ',"lastSeen":', ${q('observed_until')}, ',"attackCount":', attack_count,
    ',"botNames":', bot_names, ',"vulnerabilities":', vulnerabilities,
    ',"trackingUrl":', CAST(${url} AS text), substr(${q('tracking_id')}, 2), ',"observations":', coalesce(observations, '[]'), '}')`;
  const read = async (after: number, ordered: boolean): Promise<{ n: number; last: number; text: string | Buffer | null; seqs: string | null }> => {
    const joined = ordered ? sql`string_agg(item, ',' ORDER BY seq)` : sql`group_concat(item, ',')`;
    const text = sql`concat(CAST(${after > 0 ? ',' : ''} AS text), ${joined})`;
    const page = db
      .selectFrom('request_items')
      .select(['seq', item.as('item')])
      .where('request_id', '=', requestId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .as('page');
    const r = await db
      .selectFrom(page)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.max('seq').as('last'),
        (pg ? sql<string | Buffer | null>`${text}` : sql<string | Buffer | null>`CAST(${text} AS BLOB)`).as('text'),
        ordered ? sql<string | null>`NULL`.as('seqs') : sql<string | null>`group_concat(seq, ',')`.as('seqs'),
      ])
      .executeTakeFirstOrThrow();
    return { n: Number(r.n), last: Number(r.last), text: r.text, seqs: r.seqs };
  };
  let after = 0;
  for (;;) {
    // SQLite: an ORDER BY inside the aggregate sorts the page's text once more (a third of the time);
    // its group_concat joins rows as they arrive, in the page's order. The seq list, joined in the
    // same steps, proves it; a page that is not in order is read again the sorted way.
    let r = await read(after, pg || sorted);
    if (r.seqs !== null && !ascending(r.seqs)) r = await read(after, true);
    if (r.n === 0 || r.text === null) return;
    yield r.text;
    if (r.n < pageSize) return;
    after = r.last;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Whether a comma-separated list of integers rises strictly. */
function ascending(list: string): boolean {
  let prev = -Infinity;
  for (const part of list.split(',')) {
    const v = Number(part);
    if (!(v > prev)) return false;
    prev = v;
  }
  return true;
}

/**
 * Most incidents share a handful of bot-name and vulnerability lists: each text is parsed (and
 * re-serialised, for text output) once per download.
 */
export class SharedLists {
  readonly #parsed = new Map<string, string[]>();
  readonly #json = new Map<string, string>();

  list(text: string): string[] {
    let v = this.#parsed.get(text);
    if (v === undefined) this.#parsed.set(text, (v = JSON.parse(text) as string[]));
    return v;
  }

  json(text: string): string {
    let v = this.#json.get(text);
    if (v === undefined) this.#json.set(text, (v = JSON.stringify(this.list(text))));
    return v;
  }
}

/** The item's observations as the request listed them. */
export function itemObservations(r: ItemRow): Observation[] {
  return r.observations === null ? [] : (JSON.parse(r.observations) as Observation[]);
}

export function toRequestItem(r: ItemRow, base: string, lists: SharedLists): RequestItem {
  const observations = itemObservations(r);
  return {
    trackingId: r.tracking_id,
    ticket: r.ticket,
    srcIp: r.src_ip,
    firstSeen: r.first_seen,
    lastSeen: r.observed_until,
    attackCount: observations.length > 0 ? observations.length : Number(r.attack_count),
    botNames: lists.list(r.bot_names),
    vulnerabilities: lists.list(r.vulnerabilities),
    trackingUrl: `${base}/t/${r.tracking_id}`,
    observations,
  };
}

/** One request with its items and every observed attack; null when it does not exist or is another ISP's. */
export async function getRequest(storage: Storage, ispId: string, requestId: string, options: RequestOptions = {}): Promise<IdentificationRequest | null> {
  const header = await requestHeader(storage, ispId, requestId);
  if (header === null) return null;
  const base = options.publicUrl ?? '';
  const lists = new SharedLists();
  const items: RequestItem[] = [];
  for await (const page of requestItemPages(storage, requestId)) for (const r of page) items.push(toRequestItem(r, base, lists));
  return { ...header, items };
}

/** The ISP a request belongs to (center side only: the CLI exports any ISP's request). */
export async function requestOwner(storage: Storage, requestId: string): Promise<string | null> {
  const r = await wdb(storage).selectFrom('identification_requests').select('isp_id').where('request_id', '=', requestId).executeTakeFirst();
  return r?.isp_id ?? null;
}
