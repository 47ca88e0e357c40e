import { INCIDENT_STATES, type IncidentState } from '../domain/incident-state.js';
import { UserError } from '../domain/errors.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';

export interface WorkflowFigures {
  readonly ispId: string | null;
  /** "2024-05", or null for all time. */
  readonly month: string | null;
  /** Incidents in each state now (not limited to the month). */
  readonly byState: Record<IncidentState, number>;
  /** Incidents that reached each step within the month (by the step's timestamp), or ever. */
  readonly reached: Record<'detected' | 'requested' | 'identified' | 'notFound' | 'notOurCustomer' | 'notified' | 'visited' | 'downloaded' | 'completed' | 'remediated' | 'reinfected', number>;
  /**
   * Users (subscriber keys) noticed within the period: first-time users, whose first notice ever
   * falls in the period, apart from repeat users, noticed before. For all time: keys noticed for one
   * incident apart from keys noticed for several (one user's several PCs or reinfections).
   */
  readonly users: { readonly firstTime: number; readonly repeat: number };
  /** Notices sent within the period, by stage and channel. */
  readonly notices: readonly { readonly stage: number; readonly channel: string; readonly count: number }[];
}

const STEP_COLUMNS = {
  detected: 'detected_at',
  requested: 'requested_at',
  identified: 'identified_at',
  notFound: 'not_found_at',
  notOurCustomer: 'not_our_customer_at',
  notified: 'notified_at',
  visited: 'visited_at',
  downloaded: 'downloaded_at',
  completed: 'completed_at',
  remediated: 'remediated_at',
  reinfected: 'reinfected_at',
} as const;

function monthRange(month: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  if (m === null || mo < 1 || mo > 12) throw new UserError('USAGE', `month ${JSON.stringify(month.slice(0, 20))} must look like 2024-05`);
  return { from: new Date(Date.UTC(y, mo - 1, 1)).toISOString(), to: new Date(Date.UTC(y, mo, 1)).toISOString() };
}

/** The workflow's figures for one ISP or all, for one month or all time. Each number is defined in its field's comment. */
export async function workflowFigures(storage: Storage, options: { ispId?: string; month?: string } = {}): Promise<WorkflowFigures> {
  const db = wdb(storage);
  const range = options.month !== undefined ? monthRange(options.month) : null;
  let states = db.selectFrom('incidents').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
  if (options.ispId !== undefined) states = states.where('isp_id', '=', options.ispId);
  const byState = Object.fromEntries(INCIDENT_STATES.map((s) => [s, 0])) as Record<IncidentState, number>;
  for (const r of await states.execute()) if (r.state in byState) byState[r.state as IncidentState] = Number(r.n);

  const reached = {} as Record<keyof typeof STEP_COLUMNS, number>;
  for (const [name, column] of Object.entries(STEP_COLUMNS) as [keyof typeof STEP_COLUMNS, (typeof STEP_COLUMNS)[keyof typeof STEP_COLUMNS]][]) {
    let q = db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where(column, 'is not', null);
    if (options.ispId !== undefined) q = q.where('isp_id', '=', options.ispId);
    if (range !== null) q = q.where(column, '>=', range.from).where(column, '<', range.to);
    reached[name] = Number((await q.executeTakeFirstOrThrow()).n);
  }

  // Users are subscriber keys that received a notice. Per key: its first notice ever, and how many incidents were noticed.
  let perKey = db
    .selectFrom('notices as n')
    .innerJoin('incidents as i', 'i.incident_id', 'n.incident_id')
    .select(['i.isp_id', 'i.subscriber_key', (eb) => eb.fn.min('n.sent_at').as('first'), (eb) => eb.fn.count<number>('i.incident_id').distinct().as('incidents')])
    .where('i.subscriber_key', 'is not', null)
    .groupBy(['i.isp_id', 'i.subscriber_key']);
  if (options.ispId !== undefined) perKey = perKey.where('i.isp_id', '=', options.ispId);
  const keys = await perKey.execute();
  let firstTime = 0;
  let repeat = 0;
  if (range === null) {
    for (const k of keys) if (Number(k.incidents) > 1) repeat++;
    else firstTime++;
  } else {
    let inPeriod = db
      .selectFrom('notices as n')
      .innerJoin('incidents as i', 'i.incident_id', 'n.incident_id')
      .select(['i.isp_id', 'i.subscriber_key'])
      .distinct()
      .where('i.subscriber_key', 'is not', null)
      .where('n.sent_at', '>=', range.from)
      .where('n.sent_at', '<', range.to);
    if (options.ispId !== undefined) inPeriod = inPeriod.where('i.isp_id', '=', options.ispId);
    const firstOf = new Map(keys.map((k) => [`${k.isp_id}\u0000${k.subscriber_key}`, String(k.first)]));
    for (const k of await inPeriod.execute()) {
      if ((firstOf.get(`${k.isp_id}\u0000${k.subscriber_key}`) ?? '') >= range.from) firstTime++;
      else repeat++;
    }
  }

  let notices = db
    .selectFrom('notices as n')
    .innerJoin('incidents as i', 'i.incident_id', 'n.incident_id')
    .select(['n.stage', 'n.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['n.stage', 'n.channel'])
    .orderBy('n.stage')
    .orderBy('n.channel');
  if (options.ispId !== undefined) notices = notices.where('i.isp_id', '=', options.ispId);
  if (range !== null) notices = notices.where('n.sent_at', '>=', range.from).where('n.sent_at', '<', range.to);
  return {
    ispId: options.ispId ?? null,
    month: options.month ?? null,
    byState,
    reached,
    users: { firstTime, repeat },
    notices: (await notices.execute()).map((n) => ({ stage: Number(n.stage), channel: n.channel, count: Number(n.n) })),
  };
}
