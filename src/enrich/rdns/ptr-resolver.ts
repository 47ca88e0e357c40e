import { Resolver } from 'node:dns/promises';
import { parseIp } from '../../domain/ip.js';
import type { PtrResolver } from '../types.js';
import { reverseName } from './reverse-name.js';

/**
 * The one call we need from a DNS resolver; node:dns/promises' Resolver has it, tests inject fakes.
 * A direct PTR query, not Resolver.reverse(): reverse() falls back to /etc/hosts and then reports
 * every failure (SERVFAIL, timeout) as ENOTFOUND, which would hide broken servers in the counters.
 */
export interface ReverseResolver {
  /** PTR names of a reverse DNS name ("7.2.0.192.in-addr.arpa"); rejects with a c-ares error code. */
  resolvePtr(name: string): Promise<string[]>;
}

export interface PtrResolverOptions {
  /** DNS servers as "host", "host:port" or "[v6]:port"; the system's servers when absent. */
  readonly servers?: readonly string[];
  /** Per-try timeout (c-ares backs off on later tries). Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Attempts per server before giving up. Default 2. */
  readonly tries?: number;
  /** Most addresses remembered (answers and failures together). Default 10,000. */
  readonly cacheSize?: number;
  /** How long a failure (no PTR, error, timeout) is remembered. Default 10 minutes. */
  readonly negativeTtlMs?: number;
  /** How long a name is remembered. Default 24 hours. */
  readonly positiveTtlMs?: number;
  /** Replaces the node:dns Resolver (servers, timeoutMs and tries then do not apply). */
  readonly resolver?: ReverseResolver;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Counters that explain every null answer. */
export interface PtrStats {
  /** ptr() calls. */
  readonly lookups: number;
  /** Answered from the cache (names and remembered failures). */
  readonly cacheHits: number;
  /** Joined a query already under way for the same address. */
  readonly shared: number;
  /** Queries actually sent. */
  readonly queries: number;
  readonly found: number;
  /** NXDOMAIN or no PTR record: a normal answer, not an error. */
  readonly notFound: number;
  readonly timeouts: number;
  /** Any other failure: SERVFAIL, refused, unreachable server. */
  readonly errors: number;
  /** Not an IP address; no query sent. */
  readonly invalid: number;
}

/** A PtrResolver with its counters. */
export interface CachingPtrResolver extends PtrResolver {
  stats(): PtrStats;
}

interface Entry {
  readonly name: string | null;
  readonly expires: number;
}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);
const TIMEOUT = new Set(['ETIMEOUT', 'ETIMEDOUT']);

/**
 * Reverse DNS with an LRU cache of answers and failures. Concurrent lookups of the same address
 * share one query. Answers are the first PTR name, lower case, without the trailing dot.
 * Never rejects: every failure resolves to null and is counted in stats().
 */
export function createPtrResolver(options: PtrResolverOptions = {}): CachingPtrResolver {
  const timeoutMs = options.timeoutMs ?? 2000;
  const tries = options.tries ?? 2;
  const cacheSize = Math.max(1, options.cacheSize ?? 10_000);
  const negativeTtlMs = options.negativeTtlMs ?? 10 * 60_000;
  const positiveTtlMs = options.positiveTtlMs ?? 24 * 3_600_000;
  const now = options.now ?? Date.now;
  const resolver = options.resolver ?? systemResolver(options.servers, timeoutMs, tries);
  // c-ares enforces its own timeout; this guard only catches an injected resolver that never settles.
  const guardMs = timeoutMs * 2 ** Math.min(tries, 8) + 1000;

  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<string | null>>();
  const s = { lookups: 0, cacheHits: 0, shared: 0, queries: 0, found: 0, notFound: 0, timeouts: 0, errors: 0, invalid: 0 };

  const remember = (key: string, name: string | null): void => {
    cache.delete(key);
    cache.set(key, { name, expires: now() + (name === null ? negativeTtlMs : positiveTtlMs) });
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  };

  const query = async (key: string, name: string): Promise<string | null> => {
    s.queries++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const guard = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('PTR lookup timed out'), { code: 'ETIMEOUT' })), guardMs);
        timer.unref();
      });
      const names = await Promise.race([resolver.resolvePtr(name), guard]);
      const first = firstName(names);
      if (first === null) s.notFound++;
      else s.found++;
      remember(key, first);
      return first;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && NOT_FOUND.has(code)) s.notFound++;
      else if (typeof code === 'string' && TIMEOUT.has(code)) s.timeouts++;
      else s.errors++;
      remember(key, null);
      return null;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    ptr(ip: string): Promise<string | null> {
      s.lookups++;
      const p = parseIp(ip);
      if (p === null) {
        s.invalid++;
        return Promise.resolve(null);
      }
      const key = p.text;
      const hit = cache.get(key);
      if (hit !== undefined) {
        if (hit.expires > now()) {
          s.cacheHits++;
          cache.delete(key); // refresh its place in the LRU order
          cache.set(key, hit);
          return Promise.resolve(hit.name);
        }
        cache.delete(key);
      }
      const running = inflight.get(key);
      if (running !== undefined) {
        s.shared++;
        return running;
      }
      // Removed in a later microtask, so even a resolver that fails synchronously cannot leave a stale entry.
      const started = query(key, reverseName(p)).finally(() => inflight.delete(key));
      inflight.set(key, started);
      return started;
    },
    stats: () => ({ ...s }),
  };
}

function systemResolver(servers: readonly string[] | undefined, timeoutMs: number, tries: number): ReverseResolver {
  const r = new Resolver({ timeout: timeoutMs, tries });
  if (servers !== undefined && servers.length > 0) r.setServers([...servers]);
  return r;
}

/** First usable name: lower case, no trailing dot; null when there is none. */
function firstName(names: readonly unknown[]): string | null {
  for (const n of names) {
    if (typeof n !== 'string') continue;
    const name = n.trim().toLowerCase().replace(/\.$/, '');
    if (name !== '') return name;
  }
  return null;
}
