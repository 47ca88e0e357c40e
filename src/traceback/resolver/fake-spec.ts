/**
 * The description of a fake DNS hierarchy for tests, the demo and the benchmark.
 * Delegations (NS records and glue in the parent) and the address records of the name
 * servers are derived from the zones' server lists, so a spec lists each fact once.
 */

export type FakeRecordType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS' | 'TXT';

export interface FakeRecord {
  /** Absolute name, with or without the trailing dot. */
  readonly name: string;
  readonly type: FakeRecordType;
  readonly value: string;
  /** Default: the zone's ttl. */
  readonly ttl?: number;
}

/** Misbehaviour switches of one server address, for tests of the resolver's defences. */
export interface FakeBehaviour {
  /** Answers NOERROR without AA, no records, no referral. */
  readonly lame?: boolean;
  readonly refused?: boolean;
  readonly servfail?: boolean;
  /** Never answers (UDP or TCP). */
  readonly silent?: boolean;
  /** Every UDP reply is an empty TC reply; TCP answers fully. */
  readonly truncateAlways?: boolean;
  /** Replies with the query's ID plus one. */
  readonly wrongId?: boolean;
  /** Replies with an answer whose owner name is a compression pointer to itself. */
  readonly compressionLoop?: boolean;
  /** Replies with an A record of 3000 bytes of RDATA. */
  readonly oversizedRecord?: boolean;
  /** Sends its replies from the hierarchy's spare socket (another 127.0.0.x address). */
  readonly wrongSource?: boolean;
  /** Instead of answering, refers the query to its own zone ('self') or to the parent ('up'). */
  readonly referralLoop?: 'self' | 'up';
  /** Answers this many A records per query, rotating through the name's A set (fast flux). */
  readonly rotateA?: number;
  /** Waits this long before every reply (for concurrency tests). */
  readonly delayMs?: number;
}

export interface FakeServerSpec {
  /** The name server's host name, e.g. "a.root-servers.test". */
  readonly name: string;
  /** A loopback address, e.g. "127.0.0.2". */
  readonly ip: string;
  readonly behaviour?: FakeBehaviour;
}

export interface FakeZoneSpec {
  /** "." for the root. */
  readonly zone: string;
  readonly servers: readonly FakeServerSpec[];
  readonly records?: readonly FakeRecord[];
  /** Put glue for in-bailiwick servers into the parent's referral. Default true; false makes the delegation glueless. */
  readonly glue?: boolean;
  /** Default TTL of the zone's records and of its delegation in the parent. Default 3600. */
  readonly ttl?: number;
  /**
   * Served by something else (a real nsd in the integration test): the parent delegates to
   * it, but no fake server binds its addresses.
   */
  readonly external?: boolean;
}

export interface FakeHierarchySpec {
  readonly zones: readonly FakeZoneSpec[];
  /** One port for every server; default: a free random high port. */
  readonly port?: number;
  /** The address of the spare socket used by `wrongSource`. Default 127.0.0.254. */
  readonly spoofIp?: string;
  /** Record every query in `log`. Default true; a long benchmark may turn it off. */
  readonly keepLog?: boolean;
}

/** One query as a fake server saw it. */
export interface FakeQueryLogEntry {
  readonly ip: string;
  readonly transport: 'udp' | 'tcp';
  readonly qname: string;
  readonly qtype: string;
  /** Recursion desired: an iterative resolver must leave it off. */
  readonly rd: boolean;
  /** performance.now() at receipt. */
  readonly at: number;
  /** Queries being worked on by all servers of the hierarchy at receipt, this one included. */
  readonly concurrent: number;
}
