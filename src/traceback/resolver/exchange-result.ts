import type { DecodedPacket } from './message.js';

/** What one query attempt to one server produced. Transports never throw. */
export type ExchangeResult =
  | { readonly ok: true; readonly packet: DecodedPacket }
  | { readonly ok: false; readonly kind: 'timeout' | 'malformed' | 'network' | 'truncated'; readonly reason: string };

/** Counters shared by the transports, reported by resolver.stats(). */
export interface TransportCounters {
  queriesSent: number;
  tcpQueries: number;
  timeouts: number;
  rejectedReplies: number;
}
