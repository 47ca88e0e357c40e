import { canTransition, isIncidentState, type IncidentState } from '../domain/incident-state.js';
import type { Storage } from '../storage/schema.js';
import { wdb, type IncidentsTable } from '../storage/repositories/workflow-tables.js';
import { isTrackingIdShape, normalizeTicket } from './identifiers.js';

/** An incident as the center and the ISP see it. Holds no subscriber identity: only the ISP's opaque key. */
export interface Incident {
  readonly incidentId: string;
  readonly trackingId: string;
  readonly ticket: string;
  readonly ispId: string;
  readonly srcIp: string;
  readonly episode: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly vulnerabilities: readonly string[];
  readonly botNames: readonly string[];
  readonly strongestStage: string;
  readonly state: IncidentState;
  readonly subscriberKey: string | null;
  /** 1: the user's first identified incident; 0: a repeat user; null: not identified. */
  readonly firstNotice: number | null;
  readonly previousIncidentId: string | null;
  readonly noticeStage: number;
  readonly detectedAt: string;
  readonly requestedAt: string | null;
  readonly identifiedAt: string | null;
  readonly notFoundAt: string | null;
  readonly notOurCustomerAt: string | null;
  readonly notifiedAt: string | null;
  readonly visitedAt: string | null;
  readonly downloadedAt: string | null;
  readonly completedAt: string | null;
  readonly remediatedAt: string | null;
  readonly reinfectedAt: string | null;
  readonly updatedAt: string;
}

export function toIncident(r: IncidentsTable): Incident {
  return {
    incidentId: r.incident_id,
    trackingId: r.tracking_id,
    ticket: r.ticket,
    ispId: r.isp_id,
    srcIp: r.src_ip,
    episode: Number(r.episode),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    attackCount: Number(r.attack_count),
    vulnerabilities: JSON.parse(r.vulnerabilities) as string[],
    botNames: JSON.parse(r.bot_names) as string[],
    strongestStage: r.strongest_stage,
    state: (isIncidentState(r.state) ? r.state : 'detected'),
    subscriberKey: r.subscriber_key,
    firstNotice: r.first_notice === null ? null : Number(r.first_notice),
    previousIncidentId: r.previous_incident_id,
    noticeStage: Number(r.notice_stage),
    detectedAt: r.detected_at,
    requestedAt: r.requested_at,
    identifiedAt: r.identified_at,
    notFoundAt: r.not_found_at,
    notOurCustomerAt: r.not_our_customer_at,
    notifiedAt: r.notified_at,
    visitedAt: r.visited_at,
    downloadedAt: r.downloaded_at,
    completedAt: r.completed_at,
    remediatedAt: r.remediated_at,
    reinfectedAt: r.reinfected_at,
    updatedAt: r.updated_at,
  };
}

export async function incidentByTrackingId(storage: Storage, trackingId: string): Promise<Incident | null> {
  if (typeof trackingId !== 'string' || !isTrackingIdShape(trackingId)) return null;
  const r = await wdb(storage).selectFrom('incidents').selectAll().where('tracking_id', '=', trackingId).executeTakeFirst();
  return r === undefined ? null : toIncident(r);
}

export async function listIncidents(storage: Storage, options: { ispId?: string; state?: string; limit?: number; offset?: number } = {}): Promise<{ total: number; incidents: Incident[] }> {
  const db = wdb(storage);
  let q = db.selectFrom('incidents');
  if (options.ispId !== undefined) q = q.where('isp_id', '=', options.ispId);
  if (options.state !== undefined) q = q.where('state', '=', options.state);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('first_seen', 'desc').orderBy('incident_id').limit(options.limit ?? 100).offset(options.offset ?? 0).execute();
  return { total: Number(total.n), incidents: rows.map(toIncident) };
}

/** What the public anti-phishing page may show for a ticket: that it is real, and nothing identifying. */
export interface TicketCheck {
  readonly ticket: string;
  readonly ispName: string;
  /** Day only (YYYY-MM-DD). */
  readonly firstSeenDay: string;
  readonly lastSeenDay: string;
  readonly noticeStage: number;
}

/**
 * Confirms a ticket number from a warning. Tickets are short and can be guessed, so the answer
 * carries no IP address, tracking ID, key or exact time.
 */
export async function incidentByTicket(storage: Storage, ticket: string): Promise<TicketCheck | null> {
  const t = typeof ticket === 'string' && ticket.length <= 40 ? normalizeTicket(ticket) : null;
  if (t === null) return null;
  const r = await wdb(storage)
    .selectFrom('incidents as i')
    .innerJoin('isps', 'isps.id', 'i.isp_id')
    .select(['i.ticket', 'isps.name', 'i.first_seen', 'i.last_seen', 'i.notice_stage'])
    .where('i.ticket', '=', t)
    .executeTakeFirst();
  if (r === undefined) return null;
  return { ticket: r.ticket, ispName: r.name, firstSeenDay: r.first_seen.slice(0, 10), lastSeenDay: r.last_seen.slice(0, 10), noticeStage: Number(r.notice_stage) };
}

export type SiteEvent = 'visited' | 'downloaded' | 'completed';

/** What the public site may show the holder of a tracking ID (the user the warning reached). */
export interface SiteView {
  readonly ticket: string;
  readonly state: IncidentState;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
  readonly vulnerabilities: readonly string[];
}

const ORDER: readonly SiteEvent[] = ['visited', 'downloaded', 'completed'];

/**
 * A step the user took on the public site. Its time is stamped once (the first time); the state
 * moves forward only where the state machine allows, so a late "visited" never undoes "completed".
 * Unknown tracking ID: null.
 */
export async function recordSiteEvent(storage: Storage, trackingId: string, event: SiteEvent, at: Date | string = new Date()): Promise<SiteView | null> {
  if (!ORDER.includes(event)) return null;
  const inc = await incidentByTrackingId(storage, trackingId);
  if (inc === null) return null;
  const when = typeof at === 'string' ? at : at.toISOString();
  const db = wdb(storage);
  const now = new Date().toISOString();
  // Completing implies the earlier steps happened too, even when the site missed them.
  const stamps: Record<string, string> = {};
  for (const e of ORDER.slice(0, ORDER.indexOf(event) + 1)) {
    const key = `${e}At` as 'visitedAt' | 'downloadedAt' | 'completedAt';
    if (inc[key] === null) stamps[`${e}_at`] = when;
  }
  const moves = canTransition(inc.state, event);
  if (Object.keys(stamps).length > 0 || moves) {
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('incidents')
        .set({ ...stamps, ...(moves ? { state: event } : {}), updated_at: now })
        .where('incident_id', '=', inc.incidentId)
        .execute();
      if (moves) await tx.insertInto('incident_state_log').values({ incident_id: inc.incidentId, state: event, at: when, detail: 'public site' }).execute();
    });
  }
  return {
    ticket: inc.ticket,
    state: moves ? event : inc.state,
    firstSeen: inc.firstSeen,
    lastSeen: inc.lastSeen,
    attackCount: inc.attackCount,
    botNames: inc.botNames,
    vulnerabilities: inc.vulnerabilities,
  };
}

/** One incident's progress as the ISP's /activity route shows it. */
export interface SiteActivity {
  readonly trackingId: string;
  readonly ticket: string;
  readonly state: IncidentState;
  readonly subscriberKey: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly visitedAt: string | null;
  readonly downloadedAt: string | null;
  readonly completedAt: string | null;
  readonly remediatedAt: string | null;
  /** This incident ended in reinfection, or is itself the reinfection of an earlier one. */
  readonly reinfected: boolean;
}

/** The ISP's identified incidents (those it can act on), changed since `since` when given. */
export async function siteActivity(storage: Storage, ispId: string, options: { since?: string; limit?: number } = {}): Promise<SiteActivity[]> {
  let q = wdb(storage)
    .selectFrom('incidents')
    .selectAll()
    .where('isp_id', '=', ispId)
    .where('state', 'not in', ['detected', 'requested', 'not-found', 'not-our-customer']);
  if (options.since !== undefined) q = q.where('updated_at', '>=', options.since);
  const rows = await q.orderBy('updated_at', 'desc').orderBy('incident_id').limit(options.limit ?? 100_000).execute();
  return rows.map((r) => ({
    trackingId: r.tracking_id,
    ticket: r.ticket,
    state: isIncidentState(r.state) ? r.state : 'detected',
    subscriberKey: r.subscriber_key,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    attackCount: Number(r.attack_count),
    visitedAt: r.visited_at,
    downloadedAt: r.downloaded_at,
    completedAt: r.completed_at,
    remediatedAt: r.remediated_at,
    reinfected: r.state === 'reinfected' || r.previous_incident_id !== null,
  }));
}
