/**
 * Iterative resolution from the root, as the traceback study needs it: for every name, which
 * authoritative server answered the A record, which addresses it gave (the first one is the
 * paper's rule) and which delegations led there. Nothing here throws for bad input; every
 * failure ends as a status with a reason.
 */
import { isIPv6 } from 'node:net';
import type {
  CollectRoundsOptions,
  IterativeResolver,
  PathStep,
  ProblemKind,
  ResolveManyOptions,
  ResolverOptions,
  ResolveResult,
  ResolveStatus,
  RoundsEntry,
  ServerProblem,
  ServerRef,
} from './types.js';
import { canonicalName, nameProblem, ROOT } from './names.js';
import { createDelegationCache, type Delegation, type NameServer } from './delegation-cache.js';
import { classifyReply, type Classified } from './classify-reply.js';
import { createUdpTransport } from './udp-transport.js';
import { createExchanger } from './exchanger.js';
import { createRateLimiter } from './rate-limiter.js';
import { createSemaphore } from './semaphore.js';
import { createServerHealth } from './server-health.js';
import { DEFAULT_WIRE_LIMITS } from './wire-check.js';
import type { TransportCounters } from './exchange-result.js';
import { resolveManyWith } from './resolve-many.js';
import { collectRoundsWith } from './collect-rounds.js';

/** Per top-level name: the query budget and the servers skipped, shared with glueless look-ups. */
interface NameCtx {
  queries: number;
  readonly budget: number;
  readonly problems: ServerProblem[];
}

type Failure = { readonly kind: 'fail'; readonly status: ResolveStatus; readonly reason: string };

/** The end of resolving one target (no CNAME left to follow in this step). */
type TargetOutcome =
  | Failure
  | {
      readonly kind: 'done';
      readonly c: Exclude<Classified, { kind: 'referral' } | { kind: 'lame' }>;
      readonly server: ServerRef;
      readonly path: PathStep[];
    };

type AddressOutcome = { readonly ok: true; readonly ips: readonly string[] } | { readonly ok: false; readonly kind: ProblemKind; readonly reason: string };

/** A negative NS-address result is kept briefly, so a dead glueless server is not looked up per name. */
const NEGATIVE_TTL_MS = 30_000;
const SUSPECT_PENALTY_MS = 30_000;
/** Addresses tried per name server; more rarely helps and costs time-outs. */
const IPS_PER_SERVER = 2;

export function createIterativeResolver(opts: ResolverOptions): IterativeResolver {
  const port = opts.port ?? 53;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const maxGluelessDepth = opts.maxGluelessDepth ?? 4;
  const maxCnameChain = opts.maxCnameChain ?? 8;
  const maxQueriesPerName = opts.maxQueriesPerName ?? 80;
  const maxTtlMs = (opts.maxCacheTtlSeconds ?? 86_400) * 1000;
  const ipv6 = opts.ipv6 ?? false;
  const maxRdataBytes = opts.maxRdataBytes ?? DEFAULT_WIRE_LIMITS.maxRdataBytes;
  const counters: TransportCounters = { queriesSent: 0, tcpQueries: 0, timeouts: 0, rejectedReplies: 0 };
  const udpLimits = { maxMessageBytes: opts.maxUdpBytes ?? 4096, maxRdataBytes };
  const tcpLimits = { maxMessageBytes: 65535, maxRdataBytes };
  const udp = createUdpTransport({ sockets: opts.udpSockets ?? 4, limits: udpLimits, counters });
  const exchange = createExchanger({
    udp,
    limiter: createRateLimiter(opts.perServerQps ?? 2000, opts.perServerBurst ?? 200),
    inFlight: createSemaphore(Math.max(1, opts.maxInFlight ?? 256)),
    port,
    timeoutMs,
    retries: Math.max(0, opts.retries ?? 1),
    udpLimits,
    tcpLimits,
    counters,
  });
  const health = createServerHealth(SUSPECT_PENALTY_MS);

  const rootServers = new Map<string, string[]>();
  for (const h of opts.rootHints) {
    const name = canonicalName(h.name);
    rootServers.set(name, [...(rootServers.get(name) ?? []), h.ip.toLowerCase()]);
  }
  const rootDelegation: Delegation = {
    zone: ROOT,
    servers: [...rootServers].map(([name, ips]) => ({ name, ips })),
    path: [],
    expiresAt: Number.POSITIVE_INFINITY,
  };
  const cache = createDelegationCache(rootDelegation);
  /** Glueless look-ups started by top-level names, shared so 10,000 names cost one look-up. */
  const sharedLookups = new Map<string, Promise<AddressOutcome>>();

  const usable = (ip: string): boolean => ipv6 || !isIPv6(ip);

  function spendFor(ctx: NameCtx): () => boolean {
    return () => {
      if (ctx.queries >= ctx.budget) return false;
      ctx.queries++;
      return true;
    };
  }

  /** Servers with known, healthy addresses first; glueless ones after; order otherwise kept. */
  function orderServers(servers: readonly NameServer[]): NameServer[] {
    const score = (s: NameServer): number => {
      const ips = s.ips.length > 0 ? s.ips : (cache.addressOf(s.name)?.ips ?? []);
      const live = ips.filter(usable);
      if (live.length === 0) return 2;
      return live.every((ip) => health.isSuspect(ip)) ? 1 : 0;
    };
    return servers
      .map((s, i) => ({ s, i, k: score(s) }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map((x) => x.s);
  }

  async function addressesOf(ctx: NameCtx, nsName: string, depth: number, stack: ReadonlySet<string>): Promise<AddressOutcome> {
    const cached = cache.addressOf(nsName);
    if (cached !== undefined) {
      return cached.failure === null ? { ok: true, ips: cached.ips } : { ok: false, kind: 'unresolvable', reason: cached.failure };
    }
    if (stack.has(nsName)) return { ok: false, kind: 'loop', reason: `glueless name-server loop: ${[...stack, nsName].join(' -> ')}` };
    if (depth >= maxGluelessDepth) return { ok: false, kind: 'loop', reason: `glueless depth ${maxGluelessDepth} reached at ${nsName}` };
    // Only look-ups started at depth 0 are shared. A shared look-up never waits on another one,
    // so two names whose name servers depend on each other cannot wait on each other forever.
    if (depth === 0) {
      const inFlight = sharedLookups.get(nsName);
      if (inFlight !== undefined) return inFlight;
    }
    const run = (async (): Promise<AddressOutcome> => {
      const out = await resolveChain(ctx, nsName, depth + 1, new Set([...stack, nsName]));
      if (out.kind === 'ok') {
        const ips = out.addresses.filter(usable);
        const ttlMs = Math.min(out.ttl * 1000, maxTtlMs);
        cache.putAddress(nsName, { ips, expiresAt: performance.now() + ttlMs, failure: null });
        return { ok: true, ips };
      }
      const reason = `name server ${nsName} has no address: ${out.error}`;
      // A loop or an exhausted budget depends on how we got here, so it is not remembered.
      if (out.status !== 'loop' && out.status !== 'error') {
        cache.putAddress(nsName, { ips: [], expiresAt: performance.now() + NEGATIVE_TTL_MS, failure: reason });
      }
      return { ok: false, kind: out.status === 'loop' ? 'loop' : 'unresolvable', reason };
    })();
    if (depth === 0) {
      sharedLookups.set(nsName, run);
      void run.finally(() => sharedLookups.delete(nsName));
    }
    return run;
  }

  /** Asks the servers of one zone in turn until one gives a usable reply. */
  async function askZone(
    ctx: NameCtx,
    deleg: Delegation,
    target: string,
    depth: number,
    stack: ReadonlySet<string>,
  ): Promise<Failure | { kind: 'reply'; c: Classified; server: ServerRef }> {
    const kinds: ProblemKind[] = [];
    const reasons: string[] = [];
    const note = (server: ServerRef, kind: ProblemKind, reason: string): void => {
      kinds.push(kind);
      reasons.push(`${server.name} (${server.ip}): ${reason}`);
      ctx.problems.push({ zone: deleg.zone, server, kind, reason });
    };
    const spend = spendFor(ctx);
    for (const ns of orderServers(deleg.servers)) {
      let ips: readonly string[] = ns.ips.filter(usable);
      if (ips.length === 0) {
        if (ns.ips.length > 0) continue; // IPv6-only glue while IPv6 is off
        const a = await addressesOf(ctx, ns.name, depth, stack);
        if (!a.ok) {
          note({ name: ns.name, ip: '' }, a.kind, a.reason);
          continue;
        }
        ips = a.ips;
      }
      for (const ip of ips.slice(0, IPS_PER_SERVER)) {
        if (ctx.queries >= ctx.budget) return { kind: 'fail', status: 'error', reason: `query budget of ${ctx.budget} exhausted` };
        const server = { name: ns.name, ip };
        const res = await exchange(ip, { name: target, type: 'A' }, spend);
        if (!res.ok) {
          if (ctx.queries >= ctx.budget && res.reason.includes('budget')) {
            return { kind: 'fail', status: 'error', reason: `query budget of ${ctx.budget} exhausted` };
          }
          if (res.kind === 'timeout') health.failed(ip);
          note(server, res.kind === 'timeout' ? 'timeout' : res.kind === 'malformed' ? 'malformed' : 'network', res.reason);
          continue;
        }
        const c = classifyReply(res.packet, deleg.zone, target, maxCnameChain);
        if (c.kind === 'lame') {
          note(server, c.problem, c.reason);
          continue;
        }
        health.succeeded(ip);
        return { kind: 'reply', c, server };
      }
    }
    const status: ResolveStatus =
      kinds.length === 0 ? 'servfail' : kinds.includes('loop') ? 'loop' : kinds.every((k) => k === 'timeout') ? 'timeout' : 'servfail';
    const head = kinds.length === 0 ? 'no usable name server' : `all servers failed: ${reasons.slice(0, 4).join('; ')}`;
    return { kind: 'fail', status, reason: `zone ${deleg.zone} for ${target}: ${head}` };
  }

  /** Follows referrals down from the closest known cut until a server answers for `target`. */
  async function resolveTarget(ctx: NameCtx, target: string, depth: number, stack: ReadonlySet<string>): Promise<TargetOutcome> {
    let deleg = cache.closest(target);
    const seen = new Set<string>();
    for (;;) {
      if (seen.has(deleg.zone)) return { kind: 'fail', status: 'loop', reason: `referral loop at ${deleg.zone}` };
      seen.add(deleg.zone);
      const r = await askZone(ctx, deleg, target, depth, stack);
      if (r.kind === 'fail') return r;
      const step: PathStep = { zone: deleg.zone, server: r.server };
      const c = r.c;
      if (c.kind === 'referral') {
        const ttlMs = Math.min(Math.max(0, c.ttl) * 1000, maxTtlMs);
        deleg = cache.put({ zone: c.zone, servers: c.servers, path: [...deleg.path, step], expiresAt: performance.now() + ttlMs });
        continue;
      }
      if (c.kind === 'lame') return { kind: 'fail', status: 'servfail', reason: c.reason };
      return { kind: 'done', c, server: r.server, path: [...deleg.path, step] };
    }
  }

  type ChainOutcome =
    | { kind: 'ok'; addresses: string[]; ttl: number; server: ServerRef; path: PathStep[]; chain: string[] }
    | { kind: 'end'; status: ResolveStatus; server: ServerRef | null; path: PathStep[]; chain: string[]; error: string };

  /** Resolves `qname` to A records, following CNAMEs across zones. */
  async function resolveChain(ctx: NameCtx, qname: string, depth: number, stack: ReadonlySet<string>): Promise<ChainOutcome> {
    const chain: string[] = [];
    let target = qname;
    for (;;) {
      const r = await resolveTarget(ctx, target, depth, stack);
      if (r.kind === 'fail') return { kind: 'end', status: r.status, server: null, path: [], chain, error: r.reason };
      for (const name of r.c.chain) {
        if (name === qname || chain.includes(name)) {
          return { kind: 'end', status: 'loop', server: null, path: [], chain, error: `CNAME loop at ${name}` };
        }
        chain.push(name);
      }
      if (chain.length > maxCnameChain) {
        return { kind: 'end', status: 'loop', server: null, path: [], chain, error: `CNAME chain longer than ${maxCnameChain}` };
      }
      const c = r.c;
      if (c.kind === 'cname') {
        target = c.next;
        continue;
      }
      if (c.kind === 'answer') return { kind: 'ok', addresses: c.addresses, ttl: c.ttl, server: r.server, path: r.path, chain };
      const final = chain.length > 0 ? chain[chain.length - 1] : qname;
      return {
        kind: 'end',
        status: c.kind,
        server: r.server,
        path: r.path,
        chain,
        error: c.kind === 'nxdomain' ? `${final} does not exist (NXDOMAIN)` : `${final} has no A record (NODATA)`,
      };
    }
  }

  async function resolve(raw: string): Promise<ResolveResult> {
    const started = performance.now();
    const name = canonicalName(String(raw));
    const ctx: NameCtx = { queries: 0, budget: maxQueriesPerName, problems: [] };
    const base = { name, problems: ctx.problems };
    const invalid = nameProblem(name);
    if (invalid !== null) {
      return { ...base, status: 'error', authServer: null, firstAddress: null, addresses: [], cnameChain: [], delegationPath: [], hops: 0, error: `invalid name: ${invalid}`, queries: 0, elapsedMs: 0 };
    }
    let out: ChainOutcome;
    try {
      out = await resolveChain(ctx, name, 0, new Set());
    } catch (e) {
      out = { kind: 'end', status: 'error', server: null, path: [], chain: [], error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
    const elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (out.kind === 'ok') {
      return {
        ...base,
        status: 'ok',
        authServer: out.server,
        firstAddress: out.addresses[0] ?? null,
        addresses: out.addresses,
        cnameChain: out.chain,
        delegationPath: out.path,
        hops: out.path.length,
        error: null,
        queries: ctx.queries,
        elapsedMs,
      };
    }
    return {
      ...base,
      status: out.status,
      authServer: out.server,
      firstAddress: null,
      addresses: [],
      cnameChain: out.chain,
      delegationPath: out.path,
      hops: out.path.length,
      error: out.error,
      queries: ctx.queries,
      elapsedMs,
    };
  }

  const resolveMany = (names: Iterable<string> | AsyncIterable<string>, o?: ResolveManyOptions): AsyncIterable<ResolveResult> =>
    resolveManyWith(resolve, names, o);

  return {
    resolve,
    resolveMany,
    collectRounds: (names: readonly string[], o: CollectRoundsOptions): Promise<RoundsEntry[]> => collectRoundsWith(resolveMany, names, o),
    stats: () => ({ ...counters, cachedZones: cache.size }),
    close: () => udp.close(),
  };
}
