/**
 * Public types of the iterative resolver used by the botnet-traceback study.
 */

/** A name server as the study reports it: its host name and the address that was queried. */
export interface ServerRef {
  readonly name: string;
  readonly ip: string;
}

/** A root (or any) server hint. */
export type RootHint = ServerRef;

/** One step of the delegation path: the zone asked and the server of that zone that answered. */
export interface PathStep {
  readonly zone: string;
  readonly server: ServerRef;
}

export type ResolveStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'timeout' | 'loop' | 'error';

/** Why a server was skipped; kept so that lame delegations can be counted in the study. */
export type ProblemKind = 'timeout' | 'lame' | 'refused' | 'servfail' | 'malformed' | 'loop' | 'network' | 'unresolvable';

export interface ServerProblem {
  readonly zone: string;
  readonly server: ServerRef;
  readonly kind: ProblemKind;
  readonly reason: string;
}

/** The outcome for one name. Never thrown: every failure is a status plus an error text. */
export interface ResolveResult {
  /** The name as asked, canonical (lowercase, no trailing dot). */
  readonly name: string;
  readonly status: ResolveStatus;
  /** The server that gave the authoritative answer holding the A record (or the NXDOMAIN/NODATA). */
  readonly authServer: ServerRef | null;
  /** The first A record of the authoritative answer as received: the paper's rule. */
  readonly firstAddress: string | null;
  /** All A records of that answer, in the order received. */
  readonly addresses: readonly string[];
  /** CNAME targets followed, in order (empty when the name has an A record itself). */
  readonly cnameChain: readonly string[];
  /** Root first; the last step is the zone and server that answered. */
  readonly delegationPath: readonly PathStep[];
  /** The number of name servers on the delegation path (root and authoritative server included). */
  readonly hops: number;
  readonly error: string | null;
  /** Servers skipped on the way (lame, refusing, silent, hostile). */
  readonly problems: readonly ServerProblem[];
  /** Queries sent for this name, retries and glueless name-server look-ups included. */
  readonly queries: number;
  readonly elapsedMs: number;
}

export interface ResolverOptions {
  /** Where resolution starts; see parseRootHints. */
  readonly rootHints: readonly RootHint[];
  /** Destination port of every query (53 in the wild, a high port in tests). */
  readonly port?: number;
  /** Per-attempt time-out. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Extra attempts on the same server after a time-out. Default 1. */
  readonly retries?: number;
  /** Queries outstanding at once, over all servers. Default 256. */
  readonly maxInFlight?: number;
  /** Queries per second sent to one server address. Default 2000. */
  readonly perServerQps?: number;
  /** Queries one server may receive at once before the rate applies. Default 200. */
  readonly perServerBurst?: number;
  /** How deep glueless name-server resolution may nest. Default 4. */
  readonly maxGluelessDepth?: number;
  /** Longest CNAME chain followed. Default 8. */
  readonly maxCnameChain?: number;
  /** Hard cap on queries spent on one name, so that no input can keep a name busy forever. Default 80. */
  readonly maxQueriesPerName?: number;
  /** Largest UDP reply accepted. Default 4096. */
  readonly maxUdpBytes?: number;
  /** Largest RDATA accepted in any record. Default 2048. */
  readonly maxRdataBytes?: number;
  /** Query IPv6 server addresses too. Default false (loopback tests and most study runs are IPv4). */
  readonly ipv6?: boolean;
  /** UDP sockets per address family; queries are spread over them by message ID. Default 4. */
  readonly udpSockets?: number;
  /** Upper bound on cached delegation lifetimes. Default 1 day. */
  readonly maxCacheTtlSeconds?: number;
}

export interface ResolveManyOptions {
  /** Names resolved at once. Default 200. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: { done: number; total: number | null; result: ResolveResult }) => void;
}

export interface CollectRoundsOptions extends ResolveManyOptions {
  /** How many times the whole list is resolved. At least 1. */
  readonly rounds: number;
  /** Pause between the end of one round and the start of the next. */
  readonly intervalMs: number;
  readonly onRound?: (round: number) => void;
}

export interface RoundObservation {
  /** 1-based. */
  readonly round: number;
  readonly status: ResolveStatus;
  readonly firstAddress: string | null;
  readonly addresses: readonly string[];
  readonly authServer: ServerRef | null;
}

export interface RoundsEntry {
  readonly name: string;
  readonly rounds: readonly RoundObservation[];
  /** True when the address set of a successful round differs from that of the previous successful round. */
  readonly fastFlux: boolean;
  /** Rounds (1-based) whose address set differs from the previous successful round. */
  readonly changedRounds: readonly number[];
  /** Every address seen over all rounds, sorted. */
  readonly distinctAddresses: readonly string[];
}

export interface ResolverStats {
  readonly queriesSent: number;
  readonly tcpQueries: number;
  readonly timeouts: number;
  readonly rejectedReplies: number;
  readonly cachedZones: number;
}

export interface IterativeResolver {
  resolve(name: string): Promise<ResolveResult>;
  /** Streams results in completion order. */
  resolveMany(names: Iterable<string> | AsyncIterable<string>, opts?: ResolveManyOptions): AsyncIterable<ResolveResult>;
  /** Repeats the resolution `rounds` times and reports names whose addresses change (fast flux). */
  collectRounds(names: readonly string[], opts: CollectRoundsOptions): Promise<RoundsEntry[]>;
  stats(): ResolverStats;
  /** Closes the sockets; pending queries fail. */
  close(): Promise<void>;
}
