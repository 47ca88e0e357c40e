import { sql } from 'kysely';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
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
  const db = wdb(storage);
  // Byte order on both dialects (PostgreSQL would otherwise use the database's locale).
  const order = storage.dialect === 'postgres' ? sql`order by first_seen collate "C", tracking_id collate "C"` : sql`order by first_seen, tracking_id`;
  let ispQuery = db.selectFrom('isps').select('id').orderBy('id');
  if (options.ispId !== undefined) ispQuery = ispQuery.where('id', '=', options.ispId);
  const isps = await ispQuery.execute();
  const built: BuiltRequest[] = [];
  for (const { id: ispId } of isps) {
    const made = await db.transaction().execute(async (tx) => {
      const id = newId('req');
      // Set-based from here on: 100,000 incidents take a handful of statements, not 100,000 round trips.
      await tx.insertInto('identification_requests').values({ request_id: id, isp_id: ispId, week, created_at: at, item_count: 0, answered_count: 0 }).execute();
      const added = await tx
        .insertInto('request_items')
        .columns(['request_id', 'seq', 'incident_id', 'observed_until', 'answer_seq'])
        .expression(
          tx
            .selectFrom('incidents')
            .select((eb) => [
              eb.val(id).as('request_id'),
              // The download order, numbered once here so that downloads page through an index.
              sql<number>`row_number() over (${order})`.as('seq'),
              'incident_id',
              'last_seen',
              'answer_seq',
            ])
            .where('isp_id', '=', ispId)
            .where((eb) =>
              eb.or([
                eb('state', '=', 'detected'),
                eb.and([eb('state', 'in', ['requested', 'not-found']), eb('last_seen', '>', eb.ref('requested_until'))]),
              ]),
            ),
        )
        .executeTakeFirst();
      const count = Number(added.numInsertedOrUpdatedRows ?? 0n);
      if (count === 0) {
        await tx.deleteFrom('identification_requests').where('request_id', '=', id).execute();
        return null;
      }
      await tx.updateTable('identification_requests').set({ item_count: count }).where('request_id', '=', id).execute();
      const items = tx.selectFrom('request_items').select('incident_id').where('request_id', '=', id);
      await tx
        .updateTable('incidents')
        .set((eb) => ({ state: 'requested', requested_at: at, requested_until: eb.ref('last_seen'), updated_at: at }))
        .where('incident_id', 'in', items)
        .execute();
      await tx
        .insertInto('incident_state_log')
        .columns(['incident_id', 'state', 'at', 'detail'])
        .expression(
          tx
            .selectFrom('request_items')
            .select((eb) => ['incident_id', eb.val('requested').as('state'), eb.val(at).as('at'), eb.val(`request ${id}`).as('detail')])
            .where('request_id', '=', id),
        )
        .execute();
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
  readonly last_seen: string;
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
 * so a 100,000-item download does not hold up small calls. The items of a request never change;
 * newer activity of an incident is cut off at the item's `observed_until`.
 */
export async function* requestItemPages(storage: Storage, requestId: string, pageSize = ITEM_PAGE_SIZE): AsyncGenerator<ItemRow[]> {
  const db = wdb(storage);
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('request_items as ri')
      .innerJoin('incidents as i', 'i.incident_id', 'ri.incident_id')
      .leftJoin('incident_observations as o', 'o.incident_id', 'ri.incident_id')
      .select(['ri.seq', 'i.tracking_id', 'i.ticket', 'i.src_ip', 'i.first_seen', 'i.last_seen', 'ri.observed_until', 'i.attack_count', 'i.bot_names', 'i.vulnerabilities', 'o.observations'])
      .where('ri.request_id', '=', requestId)
      .where('ri.seq', '>', after)
      .orderBy('ri.seq')
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

/** Whether the incident grew after the request: then its later observations are cut off. */
export function needsCut(r: ItemRow): boolean {
  return r.last_seen > r.observed_until;
}

/** The item's observations up to the request's cut: activity after it belongs to a later request. */
export function itemObservations(r: ItemRow): Observation[] {
  const all = JSON.parse(r.observations ?? '[]') as Observation[];
  return needsCut(r) ? all.filter((o) => o.time <= r.observed_until) : all;
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
