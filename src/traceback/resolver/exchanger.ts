/**
 * One logical query to one server: pacing per server, the global in-flight cap, retries after
 * time-outs and the TCP retry after a truncated UDP reply.
 */
import type { Question } from './message.js';
import type { ExchangeResult, TransportCounters } from './exchange-result.js';
import type { WireLimits } from './wire-check.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Semaphore } from './semaphore.js';
import type { UdpTransport } from './udp-transport.js';
import { tcpQuery } from './tcp-transport.js';

export interface ExchangerDeps {
  readonly udp: UdpTransport;
  readonly limiter: RateLimiter;
  readonly inFlight: Semaphore;
  readonly port: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly udpLimits: WireLimits;
  readonly tcpLimits: WireLimits;
  readonly counters: TransportCounters;
}

/** `spend` is asked before every packet sent; when it says no, the exchange stops. */
export type Exchange = (ip: string, q: Question, spend: () => boolean) => Promise<ExchangeResult>;

export function createExchanger(d: ExchangerDeps): Exchange {
  async function once(ip: string, run: () => Promise<ExchangeResult>): Promise<ExchangeResult> {
    await d.limiter.take(ip);
    await d.inFlight.acquire();
    try {
      return await run();
    } finally {
      d.inFlight.release();
    }
  }
  return async (ip, q, spend) => {
    let last: ExchangeResult = { ok: false, kind: 'network', reason: 'query budget exhausted' };
    for (let attempt = 0; attempt <= d.retries; attempt++) {
      if (!spend()) return last;
      last = await once(ip, () => d.udp.query(ip, d.port, q, d.timeoutMs));
      if (!last.ok && last.kind === 'truncated') {
        if (!spend()) return { ok: false, kind: 'network', reason: 'query budget exhausted before the TCP retry' };
        return once(ip, () => tcpQuery(ip, d.port, q, d.timeoutMs, d.tcpLimits, d.counters));
      }
      if (last.ok || last.kind !== 'timeout') return last;
    }
    return last;
  };
}
