/**
 * The synthetic study world: a DNS hierarchy of C&C names, the hosts behind them with a known
 * administrator, and the lists the study reads, all with the answer key ("truth") beside them.
 *
 * Data addresses are documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
 * 233.252.0.0/24). Servers only LISTEN on loopback: DNS servers on 127.0.1.x (see
 * `World.dnsAddresses` for the listener → data address map) and IRC servers on 127.0.2.x
 * (see `StudyWorld.ircTargets` for the data address → listener map).
 */
import type { FakeHierarchySpec } from '../resolver/fake-spec.js';

/** Who runs a host: the three classes of the study. */
export type AdminType = 'end-user' | 'unmanaged' | 'professional';

/** What the host is in the world. */
export type HostRole = 'cc' | 'dns' | 'control' | 'infra' | 'old-listing';

/**
 * How the host's PTR was made, which decides what S25R must say:
 * dynamic (rules 1–6 fire), hosting (nothing fires), hosting-ip (a hosting name that embeds the
 * address, so rules fire: a false positive), none (no PTR: rule 0), unconfirmed (a PTR whose
 * forward lookup does not give the address back: rule 0), quiet-home (an end-user line with a
 * name S25R misses: a false negative).
 */
export type PtrKind = 'dynamic' | 'hosting' | 'hosting-ip' | 'none' | 'unconfirmed' | 'quiet-home';

/** What the IRC listener behind a C&C address says to NICK/USER. */
export type IrcTruth = 'open' | 'password-required' | 'banned' | 'refused';

export interface WorldHost {
  readonly ip: string;
  readonly role: HostRole;
  readonly admin: AdminType;
  /** ISO 3166 code from the world's country database. */
  readonly country: string;
  /** The PTR name served for the address, or null when there is none. */
  readonly ptr: string | null;
  readonly ptrKind: PtrKind;
  /** True when S25R (rules 0–6, default whitelist, forward lookups done) must fire. */
  readonly s25rFires: boolean;
  /** Names of the blocklists (current snapshots) that list this address, directly or by CIDR. */
  readonly blocklists: readonly string[];
  /** A researcher's sinkhole: on the sinkhole list, kept out of "unmanaged". */
  readonly sinkhole: boolean;
  /** C&C hosts: the IRC listener's behaviour. */
  readonly irc: IrcTruth | null;
  /** C&C hosts: days between first and last seen in the ThreatFox/Feodo files. */
  readonly lifetimeDays: number | null;
  /** DNS servers: the loopback address the server listens on. */
  readonly listenIp: string | null;
  /** DNS servers: the name server's host name. */
  readonly nsName: string | null;
}

export type NameKind = 'a' | 'cname' | 'flux' | 'nxdomain' | 'lame' | 'sinkhole' | 'control';

/** What the iterative resolver must find for one listed name. */
export interface NameTruth {
  readonly name: string;
  readonly kind: NameKind;
  readonly status: 'ok' | 'nxdomain' | 'servfail';
  /** The first A record the world serves on the first query (the paper's rule). */
  readonly firstAddress: string | null;
  /** Every address the name has (a fast-flux name rotates through these). */
  readonly addresses: readonly string[];
  readonly cnameChain: readonly string[];
  /** The zone that holds the A record (or the NXDOMAIN). */
  readonly zone: string | null;
  /** The server that answers the A record: host name, data address and listener. */
  readonly authServer: { readonly name: string; readonly ip: string; readonly listenIp: string } | null;
  /** The zone's delegation carries no glue: the resolver must look the name server up. */
  readonly glueless: boolean;
  /** The zone's first listed server is lame; the answer comes from the second. */
  readonly lameFirst: boolean;
}

/** One true share of the world, in the study's own terms. */
export interface TruthShare {
  readonly key: string;
  readonly count: number;
  readonly n: number;
  /** count / n; null when n = 0. */
  readonly share: number | null;
  readonly definition: string;
}

export interface WorldTruth {
  readonly ccNames: readonly NameTruth[];
  readonly controlNames: readonly NameTruth[];
  /** Every documentation address the world uses, by address. */
  readonly hosts: Readonly<Record<string, WorldHost>>;
  /** Distinct first addresses of resolvable C&C names, sinkholes left out, sorted. */
  readonly ccIps: readonly string[];
  /** Distinct data addresses of the servers that answer the C&C names' A records, sorted. */
  readonly dnsIps: readonly string[];
  /** Distinct first addresses of the control names, sorted. */
  readonly controlIps: readonly string[];
  readonly sinkholeIps: readonly string[];
  /** Keyed by TruthShare.key; see describeShareKeys(). */
  readonly shares: Readonly<Record<string, TruthShare>>;
  /** The blocklist snapshot pair and the share of the newer one already in the older one. */
  readonly persistence: {
    readonly list: string;
    readonly olderDate: string;
    readonly newerDate: string;
    readonly newerEntries: number;
    readonly alsoInOlder: number;
    readonly share: number;
  };
  /** What each list contains, by list name (addresses and CIDRs as written). */
  readonly blocklistEntries: Readonly<Record<string, readonly string[]>>;
}

/** A file of the world: its name inside the world's directory and its bytes. */
export interface WorldFile {
  readonly name: string;
  readonly content: string | Uint8Array;
  /** For dated lists: the snapshot date, YYYY-MM-DD. */
  readonly snapshotDate?: string;
  /** The feed reader that reads it (src/feeds registry name), when one does. */
  readonly format?: string;
  /** Blocklists: the list's name as WorldHost.blocklists and blocklistEntries use it (pass it as the reader's `feed`). */
  readonly feed?: string;
}

export interface WorldOptions {
  readonly seed: number;
  /** C&C names in the list, 20 to 500 (the documentation ranges hold no more). Default 300. */
  readonly names?: number;
  /** Benign control names, 10 to 200. Default 120. */
  readonly controlNames?: number;
  /** End-user lines whose PTR S25R misses. Default 0.04. */
  readonly endUserMissRate?: number;
  /** Share of the newer blocklist snapshot already in the older one. Default 0.34 (the paper's). */
  readonly persistence?: number;
  /** The newer snapshot's date, YYYY-MM-DD. Default 2025-10-15; the older is ~9 months before. */
  readonly snapshotDate?: string;
}

/** The generated world as pure data: nothing listens yet, nothing is written. */
export interface World {
  readonly seed: number;
  /** The fake DNS hierarchy (servers on loopback, no port yet). */
  readonly spec: FakeHierarchySpec;
  /** Listener (loopback) → data address of every DNS server. */
  readonly dnsAddresses: Readonly<Record<string, string>>;
  /** The loopback listener that is authoritative for in-addr.arpa (for direct PTR queries). */
  readonly ptrListenIp: string;
  /** The C&C domain list, in list order. */
  readonly ccNames: readonly string[];
  readonly controlNames: readonly string[];
  readonly files: {
    readonly ccList: WorldFile;
    readonly control: WorldFile;
    readonly blocklists: readonly WorldFile[];
    readonly snapshots: readonly WorldFile[];
    readonly lifetimes: readonly WorldFile[];
    readonly geoDb: WorldFile;
    readonly sinkholes: WorldFile;
  };
  readonly truth: WorldTruth;
}
