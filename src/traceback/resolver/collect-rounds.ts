/**
 * Repeated collection for fast-flux detection: the same names are resolved `rounds` times,
 * `intervalMs` apart, and a name whose address set changes between successful rounds is
 * flagged. Failed rounds are kept but not compared, so an outage is not mistaken for flux.
 */
import type { CollectRoundsOptions, ResolveManyOptions, ResolveResult, RoundObservation, RoundsEntry } from './types.js';
import { canonicalName } from './names.js';

export async function collectRoundsWith(
  resolveMany: (names: readonly string[], opts: ResolveManyOptions) => AsyncIterable<ResolveResult>,
  names: readonly string[],
  opts: CollectRoundsOptions,
): Promise<RoundsEntry[]> {
  const rounds = Math.max(1, Math.floor(opts.rounds));
  const unique = [...new Set(names.map(canonicalName))];
  const seen = new Map<string, RoundObservation[]>(unique.map((n) => [n, []]));
  for (let round = 1; round <= rounds; round++) {
    if (round > 1 && opts.intervalMs > 0) await new Promise((r) => setTimeout(r, opts.intervalMs));
    opts.onRound?.(round);
    const manyOpts: ResolveManyOptions = {
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
    };
    for await (const r of resolveMany(unique, manyOpts)) {
      const list = seen.get(r.name) ?? [];
      list.push({ round, status: r.status, firstAddress: r.firstAddress, addresses: r.addresses, authServer: r.authServer });
      seen.set(r.name, list);
    }
  }
  return unique.map((name) => summarise(name, (seen.get(name) ?? []).sort((a, b) => a.round - b.round)));
}

/** Compares each successful round's address set with the previous successful round's. */
export function summarise(name: string, rounds: readonly RoundObservation[]): RoundsEntry {
  const changedRounds: number[] = [];
  const all = new Set<string>();
  let previous: string | null = null;
  for (const r of rounds) {
    for (const a of r.addresses) all.add(a);
    if (r.status !== 'ok') continue;
    const key = [...new Set(r.addresses)].sort().join(',');
    if (previous !== null && key !== previous) changedRounds.push(r.round);
    previous = key;
  }
  return { name, rounds, fastFlux: changedRounds.length > 0, changedRounds, distinctAddresses: [...all].sort() };
}
