/**
 * The resolve step: every name of the study, iteratively from the root, once per round. A round
 * skips names it already holds, so an interrupted study resumes where it stopped and a finished
 * one sends no query at all. Names whose addresses change between rounds are fast flux.
 */
import type { IterativeResolver, ResolveResult, RoundObservation } from '../resolver/types.js';
import { summariseRounds } from '../resolver/index.js';
import type { Storage } from '../../storage/schema.js';
import { getStudyNames, type StudyName } from '../../storage/repositories/traceback-studies.js';
import { getResolutions, resolvedNames, saveResolutions, type ResolutionRecord } from '../../storage/repositories/traceback-resolutions.js';

export interface ResolveStepOptions {
  readonly rounds?: number;
  /** Pause before each round after the first that has work to do. */
  readonly intervalMs?: number;
  /** Names resolved at once. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly onProgress?: (p: { round: number; done: number; total: number; name: string }) => void;
}

export interface ResolveStepSummary {
  readonly rounds: number;
  /** Names resolved now (all rounds). */
  readonly resolved: number;
  /** Names skipped because the round already held them. */
  readonly skipped: number;
  readonly queries: number;
  /** Status counts of the names resolved now. */
  readonly byStatus: Record<string, number>;
  /** C&C names whose address set changed between successful rounds, over everything stored. */
  readonly fastFlux: string[];
}

const FLUSH = 200;

export function resolutionRecord(round: number, n: Pick<StudyName, 'set' | 'name'>, r: ResolveResult, at: string): ResolutionRecord {
  return {
    round,
    set: n.set,
    name: n.name,
    status: r.status,
    authServerName: r.authServer?.name ?? null,
    authServerIp: r.authServer?.ip ?? null,
    firstAddress: r.firstAddress,
    addresses: r.addresses,
    cnameChain: r.cnameChain,
    delegationPath: r.delegationPath.map((s) => ({ zone: s.zone, server: { name: s.server.name, ip: s.server.ip } })),
    hops: r.hops,
    error: r.error,
    queries: r.queries,
    resolvedAt: at,
  };
}

function listedIpRecord(round: number, n: StudyName, at: string): ResolutionRecord {
  return { round, set: n.set, name: n.name, status: 'listed-ip', authServerName: null, authServerIp: null, firstAddress: n.name, addresses: [n.name], cnameChain: [], delegationPath: [], hops: 0, error: null, queries: 0, resolvedAt: at };
}

export async function runResolveStep(storage: Storage, study: string, resolver: IterativeResolver, opts: ResolveStepOptions = {}): Promise<ResolveStepSummary> {
  const rounds = Math.max(1, Math.floor(opts.rounds ?? 1));
  const now = opts.now ?? (() => new Date());
  const names = await getStudyNames(storage, study);
  let resolved = 0;
  let skipped = 0;
  let queries = 0;
  const byStatus: Record<string, number> = {};
  let worked = false;
  for (let round = 1; round <= rounds; round++) {
    const have = await resolvedNames(storage, study, round);
    const todo = names.filter((n) => !have.has(`${n.set}\u0000${n.name}`));
    skipped += names.length - todo.length;
    if (todo.length === 0) continue;
    if (worked && (opts.intervalMs ?? 0) > 0) await new Promise((r) => setTimeout(r, opts.intervalMs));
    worked = true;
    const pending: ResolutionRecord[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length > 0) await saveResolutions(storage, study, pending.splice(0));
    };
    const literal = todo.filter((n) => n.kind === 'ip');
    for (const n of literal) pending.push(listedIpRecord(round, n, now().toISOString()));
    // The same name may be in both sets (a control name also listed as C&C): resolve once, store twice.
    const domains = todo.filter((n) => n.kind === 'domain');
    const setsOf = new Map<string, StudyName[]>();
    for (const n of domains) setsOf.set(n.name, [...(setsOf.get(n.name) ?? []), n]);
    const total = todo.length;
    let done = 0;
    for (const n of literal) {
      byStatus['listed-ip'] = (byStatus['listed-ip'] ?? 0) + 1;
      resolved++;
      opts.onProgress?.({ round, done: ++done, total, name: n.name });
    }
    for await (const r of resolver.resolveMany(setsOf.keys(), opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {})) {
      queries += r.queries;
      for (const n of setsOf.get(r.name) ?? []) {
        pending.push(resolutionRecord(round, n, r, now().toISOString()));
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        resolved++;
        done++;
      }
      opts.onProgress?.({ round, done, total, name: r.name });
      if (pending.length >= FLUSH) await flush();
    }
    await flush();
  }
  return { rounds, resolved, skipped, queries, byStatus, fastFlux: fastFluxNames(await getResolutions(storage, study)) };
}

/** C&C names whose address set changes between successful rounds (see summariseRounds). */
export function fastFluxNames(resolutions: readonly ResolutionRecord[]): string[] {
  const byName = new Map<string, RoundObservation[]>();
  for (const r of resolutions) {
    if (r.set !== 'cc') continue;
    const obs: RoundObservation = {
      round: r.round,
      status: r.status === 'listed-ip' ? 'ok' : (r.status as RoundObservation['status']),
      firstAddress: r.firstAddress,
      addresses: r.addresses,
      authServer: r.authServerName === null || r.authServerIp === null ? null : { name: r.authServerName, ip: r.authServerIp },
    };
    byName.set(r.name, [...(byName.get(r.name) ?? []), obs]);
  }
  return [...byName]
    .filter(([name, obs]) => summariseRounds(name, obs.sort((a, b) => a.round - b.round)).fastFlux)
    .map(([name]) => name)
    .sort();
}
