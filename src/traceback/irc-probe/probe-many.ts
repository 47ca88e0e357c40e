import { UserError } from '../../domain/errors.js';
import { canonicalIp } from '../../domain/ip.js';
import { IRC_PORT, probeIrc } from './probe-irc.js';
import type { IrcProbeResult } from './probe-irc.js';

/** A server to probe: "host" (port from the options) or host and port. */
export type IrcProbeTarget = string | { readonly host: string; readonly port?: number };

export interface ProbeManyOptions {
  /**
   * Probing third-party hosts is active scanning and needs the operator's explicit `--active`.
   * Without it only loopback targets are allowed, so tests and demos can never reach out.
   */
  readonly active: boolean;
  /** Probes at once; default 10, at most 256. */
  readonly concurrency?: number;
  /** Per probe; default 15 s. */
  readonly timeoutMs?: number;
  /** Port for targets given without one; default 6667. */
  readonly port?: number;
  /** Called as each probe ends, e.g. for a progress bar. */
  readonly onResult?: (result: IrcProbeResult) => void;
}

/** True for an IP literal in 127.0.0.0/8 or ::1 (IPv4-mapped forms included). Host names are never loopback here. */
export function isLoopback(host: string): boolean {
  const ip = canonicalIp(host.trim());
  return ip === '::1' || (ip !== null && /^127\.\d+\.\d+\.\d+$/.test(ip));
}

/**
 * Probes many IRC servers within a concurrency limit, each host:port once; results come back in
 * the order of `targets` (a repeated target repeats its result).
 * Throws UserError('USAGE') before connecting anywhere when a target is not loopback and
 * `active` is not true, and RangeError for bad limits.
 */
export async function probeMany(targets: readonly IrcProbeTarget[], opts: ProbeManyOptions): Promise<IrcProbeResult[]> {
  const concurrency = opts.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new RangeError(`probeMany: concurrency must be an integer from 1 to 256, got ${concurrency}`);
  }
  const defaultPort = opts.port ?? IRC_PORT;
  const list = targets.map((t) => (typeof t === 'string' ? { host: t, port: defaultPort } : { host: t.host, port: t.port ?? defaultPort }));
  if (opts.active !== true) {
    const outside = [...new Set(list.filter((t) => !isLoopback(t.host)).map((t) => t.host))];
    if (outside.length > 0) {
      const shown = outside.slice(0, 5).join(', ') + (outside.length > 5 ? ` and ${outside.length - 5} more` : '');
      throw new UserError('USAGE', `refusing to probe hosts that are not loopback without --active: ${shown}`);
    }
  }

  const key = (t: { host: string; port: number }): string => `${t.host}\u0000${t.port}`;
  const unique = [...new Map(list.map((t) => [key(t), t])).values()];
  const results = new Map<string, IrcProbeResult>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const t = unique[next++];
      if (t === undefined) return;
      const r = await probeIrc({ host: t.host, port: t.port, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
      results.set(key(t), r);
      opts.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  return list.map((t) => {
    const r = results.get(key(t));
    if (r === undefined) throw new Error(`probeMany: no result for ${t.host}:${t.port}`);
    return r;
  });
}
