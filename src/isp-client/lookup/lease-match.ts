import type { LookupOutcome, Subscriber } from './types.js';

/** One assignment of an address (or a port range of it, behind CGN) to a subscriber for a while. */
export interface Lease {
  readonly portFrom: number | null;
  readonly portTo: number | null;
  /** Epoch ms; null = open ended. validTo is exclusive. */
  readonly validFrom: number | null;
  readonly validTo: number | null;
  readonly subscriber: Subscriber;
}

/**
 * Picks the subscriber behind an observation among the leases of its IP. A lease must cover the
 * time; among those, one whose port range contains the port beats one for the whole address
 * (carrier-grade NAT shares an address by port ranges). When the best leases name more than one
 * subscriber the answer is "not found": warning the wrong person is worse than warning nobody.
 */
export function matchLease(leases: readonly Lease[], port: number | null, timeMs: number): LookupOutcome {
  const inTime = leases.filter((l) => (l.validFrom === null || l.validFrom <= timeMs) && (l.validTo === null || timeMs < l.validTo));
  if (inTime.length === 0) return { kind: 'not-found', reason: leases.length === 0 ? 'address not in the subscriber data' : 'no assignment of the address at that time' };
  const specific = port === null ? [] : inTime.filter((l) => l.portFrom !== null && l.portTo !== null && l.portFrom <= port && port <= l.portTo);
  const whole = inTime.filter((l) => l.portFrom === null);
  // Without a port, port-range leases can only decide when they all name the same subscriber.
  const best = specific.length > 0 ? specific : whole.length > 0 ? whole : port === null ? inTime : [];
  if (best.length === 0) return { kind: 'not-found', reason: `port ${port} is in no port range assigned at that time` };
  const customers = new Set(best.map((l) => l.subscriber.customerNumber));
  if (customers.size > 1) return { kind: 'not-found', reason: `ambiguous: ${customers.size} subscribers match` };
  return { kind: 'found', subscriber: (best[0] as Lease).subscriber };
}
