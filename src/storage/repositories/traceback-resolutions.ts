/**
 * One row per study, round, set and name: what the iterative resolution found. The key lets a
 * resumed study skip names already resolved in a round.
 */
import type { Storage } from '../schema.js';
import { chunkRows } from './batch.js';
import { parseJsonCell, storableText, tracebackDb, type ResolutionsTable } from './traceback-tables.js';
import type { NameSet } from './traceback-studies.js';

export interface StoredPathStep {
  readonly zone: string;
  readonly server: { readonly name: string; readonly ip: string };
}

export interface ResolutionRecord {
  readonly round: number;
  readonly set: NameSet;
  readonly name: string;
  /** The resolver's status, or 'listed-ip' for a C&C IP taken from the list as it is. */
  readonly status: string;
  readonly authServerName: string | null;
  readonly authServerIp: string | null;
  readonly firstAddress: string | null;
  readonly addresses: readonly string[];
  readonly cnameChain: readonly string[];
  readonly delegationPath: readonly StoredPathStep[];
  readonly hops: number;
  readonly error: string | null;
  readonly queries: number;
  readonly resolvedAt: string;
}

export async function saveResolutions(storage: Storage, study: string, records: readonly ResolutionRecord[]): Promise<void> {
  const rows: ResolutionsTable[] = records.map((r) => ({
    study,
    round: r.round,
    set_kind: r.set,
    name: r.name,
    status: r.status,
    auth_server_name: r.authServerName,
    auth_server_ip: r.authServerIp,
    first_address: r.firstAddress,
    addresses: JSON.stringify(r.addresses),
    cname_chain: JSON.stringify(r.cnameChain),
    delegation_path: JSON.stringify(r.delegationPath),
    hops: r.hops,
    error: storableText(r.error),
    queries: r.queries,
    resolved_at: r.resolvedAt,
  }));
  for (const chunk of chunkRows(rows, storage.maxParams)) {
    await tracebackDb(storage)
      .insertInto('resolutions')
      .values(chunk)
      .onConflict((oc) => oc.columns(['study', 'round', 'set_kind', 'name']).doNothing())
      .execute();
  }
}

/** Names (per set) that already have a row in the round. */
export async function resolvedNames(storage: Storage, study: string, round: number): Promise<Set<string>> {
  const rows = await tracebackDb(storage).selectFrom('resolutions').select(['set_kind', 'name']).where('study', '=', study).where('round', '=', round).execute();
  return new Set(rows.map((r) => `${r.set_kind}\u0000${r.name}`));
}

export async function getResolutions(storage: Storage, study: string): Promise<ResolutionRecord[]> {
  const rows = await tracebackDb(storage).selectFrom('resolutions').selectAll().where('study', '=', study).orderBy('round').orderBy('set_kind').orderBy('name').execute();
  return rows.map((r) => ({
    round: Number(r.round),
    set: r.set_kind === 'control' ? 'control' : 'cc',
    name: r.name,
    status: r.status,
    authServerName: r.auth_server_name,
    authServerIp: r.auth_server_ip,
    firstAddress: r.first_address,
    addresses: parseJsonCell<string[]>(r.addresses, []),
    cnameChain: parseJsonCell<string[]>(r.cname_chain, []),
    delegationPath: parseJsonCell<StoredPathStep[]>(r.delegation_path, []),
    hops: Number(r.hops),
    error: storableText(r.error),
    queries: Number(r.queries),
    resolvedAt: r.resolved_at,
  }));
}
