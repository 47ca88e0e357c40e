/**
 * The small seams enrichment hides behind, so that intake, workflow and tests depend on these
 * interfaces and never on a database file or the network.
 */

/** Country of an address. */
export interface GeoLookup {
  /** ISO 3166-1 alpha-2, upper case; null when unknown or when ip is not an address. */
  country(ip: string): string | null;
  /** country() for an IPv4 address as an unsigned 32-bit integer; optional, a faster path for intake. */
  countryV4?(v4: number): string | null;
}

/** Autonomous system of an address. */
export interface AsnLookup {
  /** null when no range covers the address or ip is not an address. */
  asn(ip: string): { readonly asn: number; readonly org: string | null } | null;
  /** asn() for an IPv4 address as an unsigned 32-bit integer; optional, a faster path for intake. */
  asnV4?(v4: number): { readonly asn: number; readonly org: string | null } | null;
}

/** Which participating ISP (by configured name) an address belongs to. */
export interface IspLookup {
  isp(ip: string): string | null;
  /**
   * isp() for an IPv4 address as an unsigned 32-bit integer; optional, a faster path for intake.
   * `asn`, when given, is the address's ASN as already looked up (null: none), so it is not looked up again.
   */
  ispV4?(v4: number, asn?: number | null): string | null;
}

/** Reverse DNS. Never rejects: failures and timeouts resolve to null. */
export interface PtrResolver {
  ptr(ip: string): Promise<string | null>;
}

/** What enrichment adds to one source address. */
export interface Enrichment {
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrg: string | null;
  readonly isp: string | null;
  /** Filled only by enrichPtr(); the synchronous enrich() leaves it null. */
  readonly ptr: string | null;
}

export interface Enricher {
  /** The synchronous parts (country, ASN, ISP); cheap enough to run on every event. */
  enrich(ip: string): Enrichment;
  /** The PTR name, when a resolver was configured. */
  enrichPtr?(ip: string): Promise<string | null>;
}
