import type { Storage } from '../schema.js';

export interface Period {
  /** Inclusive start, ISO UTC; null = from the beginning. */
  readonly from: string | null;
  /** Exclusive end, ISO UTC; null = to the end. */
  readonly to: string | null;
}

/** Distinct (sensor, source IP) pairs of attacks seen in a period. */
export async function sourcesBySensor(storage: Storage, period: Period): Promise<{ sensor: string; srcIp: string }[]> {
  let q = storage.db.selectFrom('events').select(['sensor', 'src_ip']).distinct();
  if (period.from !== null) q = q.where('time', '>=', period.from);
  if (period.to !== null) q = q.where('time', '<', period.to);
  const rows = await q.execute();
  return rows.map((r) => ({ sensor: r.sensor, srcIp: r.src_ip }));
}

export interface EventTotals {
  readonly events: number;
  readonly sources: number;
  readonly byStage: Record<string, number>;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
}

export async function eventTotals(storage: Storage, period: Period = { from: null, to: null }): Promise<EventTotals> {
  let q = storage.db.selectFrom('events');
  if (period.from !== null) q = q.where('time', '>=', period.from);
  if (period.to !== null) q = q.where('time', '<', period.to);
  const t = await q
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('src_ip').distinct().as('sources'), eb.fn.min('time').as('first'), eb.fn.max('time').as('last')])
    .executeTakeFirstOrThrow();
  const stages = await q.select(['stage', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('stage').execute();
  return {
    events: Number(t.n),
    sources: Number(t.sources),
    byStage: Object.fromEntries(stages.map((s) => [s.stage, Number(s.n)])),
    firstTime: (t.first as string | null) ?? null,
    lastTime: (t.last as string | null) ?? null,
  };
}
