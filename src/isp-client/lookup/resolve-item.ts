import type { Observation } from '../center-client.js';
import type { LookupOutcome, Subscriber, SubscriberLookup } from './types.js';

export type ItemResolution =
  | { readonly result: 'identified'; readonly subscriber: Subscriber; readonly detail: string | null }
  | { readonly result: 'not-found' | 'not-our-customer' | 'error'; readonly detail: string };

/** Up to max observations spread over the whole list (first and last always among them). */
export function sampleObservations(obs: readonly Observation[], max: number): Observation[] {
  if (obs.length <= max) return [...obs];
  if (max === 1) return [obs[0] as Observation];
  const out: Observation[] = [];
  for (let i = 0; i < max; i++) out.push(obs[Math.round((i * (obs.length - 1)) / (max - 1))] as Observation);
  return out;
}

/**
 * Resolves one incident from its observations. Each (IP, port, time) is looked up; the subscriber
 * found most often wins (a CGN address seen with several ports can name more than one, and the
 * detail then says so). A lookup error on every observation leaves the incident for a retry.
 */
export async function resolveItem(lookup: SubscriberLookup, srcIp: string, observations: readonly Observation[], max: number): Promise<ItemResolution> {
  const outcomes: LookupOutcome[] = [];
  for (const o of sampleObservations(observations, max)) {
    outcomes.push(await lookup.lookup({ ip: srcIp, port: o.srcPort ?? null, time: o.time }));
  }
  if (outcomes.length === 0) return { result: 'not-found', detail: 'the incident has no observations' };
  const votes = new Map<string, { subscriber: Subscriber; n: number }>();
  for (const o of outcomes) {
    if (o.kind !== 'found') continue;
    const v = votes.get(o.subscriber.customerNumber);
    if (v === undefined) votes.set(o.subscriber.customerNumber, { subscriber: o.subscriber, n: 1 });
    else v.n++;
  }
  if (votes.size > 0) {
    const ranked = [...votes.values()].sort((a, b) => b.n - a.n || a.subscriber.customerNumber.localeCompare(b.subscriber.customerNumber));
    const top = ranked[0] as { subscriber: Subscriber; n: number };
    const detail = ranked.length > 1 ? `${ranked.length} subscribers behind this address; chose the one seen in ${top.n} of ${outcomes.length} observations` : null;
    return { result: 'identified', subscriber: top.subscriber, detail };
  }
  if (outcomes.every((o) => o.kind === 'error')) return { result: 'error', detail: (outcomes[0] as { reason: string }).reason };
  if (outcomes.every((o) => o.kind === 'not-our-customer' || o.kind === 'error')) {
    return { result: 'not-our-customer', detail: (outcomes.find((o) => o.kind === 'not-our-customer') as { reason: string }).reason };
  }
  return { result: 'not-found', detail: (outcomes.find((o) => o.kind === 'not-found') as { reason: string } | undefined)?.reason ?? 'not found' };
}
