import type { SelectQueryBuilder } from 'kysely';
import type { Database, Storage } from '../schema.js';

export interface Period {
  /** Inclusive start, ISO UTC; null = from the beginning. */
  readonly from: string | null;
  /** Exclusive end, ISO UTC; null = to the end. */
  readonly to: string | null;
}

/** Distinct (sensor, source IP) pairs of attacks seen in a period. */
export async function sourcesBySensor(storage: Storage, period: Period): Promise<{ sensor: string; srcIp: string }[]> {
  const q = inPeriod(storage, storage.db.selectFrom('events').select(['sensor', 'src_ip']).distinct(), period);
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
  const q = inPeriod(storage, storage.db.selectFrom('events'), period);
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

/**
 * Restricts events to a period. On SQLite there is no time index: the event key starts with the
 * time ("<time>|<hash>") and binary collation orders it as the time, so the same bounds on the key
 * let the primary key find the range. The time conditions stay and decide; the key bounds only
 * narrow the scan, so they must hold for every event in the period. "time >= from" implies
 * "key >= from" always. "time < to" implies "key < to" unless a stored time is a proper prefix
 * of `to`; stored times end in "Z", so that needs a "Z" before the end of `to`.
 */
function inPeriod<O>(
  storage: Storage,
  q: SelectQueryBuilder<Database, 'events', O>,
  period: Period,
): SelectQueryBuilder<Database, 'events', O> {
  const keyed = storage.dialect === 'sqlite';
  if (period.from !== null) {
    q = q.where('time', '>=', period.from);
    if (keyed) q = q.where('event_key', '>=', period.from);
  }
  if (period.to !== null) {
    q = q.where('time', '<', period.to);
    const z = period.to.indexOf('Z');
    if (keyed && (z === -1 || z === period.to.length - 1)) q = q.where('event_key', '<', period.to);
  }
  return q;
}
