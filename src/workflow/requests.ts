import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import type { ObservationTuple } from './episodes.js';
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
 */
export async function buildWeeklyRequests(
  storage: Storage,
  options: { now?: Date; ispId?: string } & RequestOptions = {},
): Promise<IdentificationRequest[]> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const week = isoWeek(now);
  const db = wdb(storage);
  let ispQuery = db.selectFrom('isps').select('id').orderBy('id');
  if (options.ispId !== undefined) ispQuery = ispQuery.where('id', '=', options.ispId);
  const isps = await ispQuery.execute();
  const built: { ispId: string; requestId: string }[] = [];
  for (const { id: ispId } of isps) {
    const requestId = await db.transaction().execute(async (tx) => {
      const id = newId('req');
      // Set-based from here on: 100,000 incidents take a handful of statements, not 100,000 round trips.
      await tx.insertInto('identification_requests').values({ request_id: id, isp_id: ispId, week, created_at: at, item_count: 0 }).execute();
      const added = await tx
        .insertInto('request_items')
        .columns(['request_id', 'incident_id', 'observed_until'])
        .expression(
          tx
            .selectFrom('incidents')
            .select((eb) => [eb.val(id).as('request_id'), 'incident_id', 'last_seen'])
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
      return id;
    });
    if (requestId !== null) built.push({ ispId, requestId });
  }
  const out: IdentificationRequest[] = [];
  for (const b of built) {
    const r = await getRequest(storage, b.ispId, b.requestId, options);
    if (r !== null) out.push(r);
  }
  return out;
}

/** The ISP's requests, newest first. */
export async function listRequests(storage: Storage, ispId: string): Promise<RequestSummary[]> {
  const db = wdb(storage);
  const rows = await db
    .selectFrom('identification_requests as r')
    .select(['r.request_id', 'r.week', 'r.created_at', 'r.item_count'])
    .select((eb) =>
      eb
        .selectFrom('request_items as ri')
        .innerJoin('incidents as i', 'i.incident_id', 'ri.incident_id')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('ri.request_id', '=', 'r.request_id')
        .where('i.state', 'not in', ['detected', 'requested'])
        .as('answered'),
    )
    .where('r.isp_id', '=', ispId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.request_id')
    .execute();
  return rows.map((r) => ({ requestId: r.request_id, week: r.week, createdAt: r.created_at, itemCount: Number(r.item_count), answeredCount: Number(r.answered ?? 0) }));
}

/** One request with its items and every observed attack; null when it does not exist or is another ISP's. */
export async function getRequest(storage: Storage, ispId: string, requestId: string, options: RequestOptions = {}): Promise<IdentificationRequest | null> {
  if (typeof requestId !== 'string' || requestId.length > 100) return null;
  const db = wdb(storage);
  const req = await db.selectFrom('identification_requests').selectAll().where('request_id', '=', requestId).where('isp_id', '=', ispId).executeTakeFirst();
  if (req === undefined) return null;
  const rows = await db
    .selectFrom('request_items as ri')
    .innerJoin('incidents as i', 'i.incident_id', 'ri.incident_id')
    .select(['i.tracking_id', 'i.ticket', 'i.src_ip', 'i.first_seen', 'ri.observed_until', 'i.attack_count', 'i.bot_names', 'i.vulnerabilities', 'i.observations'])
    .where('ri.request_id', '=', requestId)
    .execute();
  const base = options.publicUrl ?? '';
  // Most incidents share a handful of bot-name and vulnerability lists: parse each text once.
  const lists = new Map<string, string[]>();
  const list = (text: string): string[] => {
    let v = lists.get(text);
    if (v === undefined) lists.set(text, (v = JSON.parse(text) as string[]));
    return v;
  };
  const items: RequestItem[] = rows.map((i) => {
    // Observations up to the request's cut: activity after it belongs to a later request.
    const observations: Observation[] = [];
    for (const [time, srcPort, dstIp, dstPort, protocol] of JSON.parse(i.observations) as ObservationTuple[]) {
      if (time <= i.observed_until) observations.push({ time, srcPort, dstIp, dstPort, protocol });
    }
    return {
      trackingId: i.tracking_id,
      ticket: i.ticket,
      srcIp: i.src_ip,
      firstSeen: i.first_seen,
      lastSeen: i.observed_until,
      attackCount: observations.length > 0 ? observations.length : Number(i.attack_count),
      botNames: list(i.bot_names),
      vulnerabilities: list(i.vulnerabilities),
      trackingUrl: `${base}/t/${i.tracking_id}`,
      observations,
    };
  });
  items.sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.trackingId < b.trackingId ? -1 : 1));
  return { requestId: req.request_id, isp: req.isp_id, week: req.week, createdAt: req.created_at, items };
}

/** The ISP a request belongs to (center side only: the CLI exports any ISP's request). */
export async function requestOwner(storage: Storage, requestId: string): Promise<string | null> {
  const r = await wdb(storage).selectFrom('identification_requests').select('isp_id').where('request_id', '=', requestId).executeTakeFirst();
  return r?.isp_id ?? null;
}
