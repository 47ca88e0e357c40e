import { ipv4ToInt, parseIp } from '../domain/ip.js';
import type { AsnLookup, Enricher, Enrichment, GeoLookup, IspLookup, PtrResolver } from './types.js';

export interface EnricherParts {
  readonly geo?: GeoLookup;
  readonly asn?: AsnLookup;
  readonly isp?: IspLookup;
  readonly ptr?: PtrResolver;
  /** Recent addresses remembered (about twice this many at most). Default 8192. */
  readonly cacheSize?: number;
}

const EMPTY: Enrichment = Object.freeze({ country: null, asn: null, asOrg: null, isp: null, ptr: null });

/**
 * Compose the lookups that are configured (a missing one leaves its fields null) behind a cache of
 * recent addresses: honeypot events repeat source addresses a lot, so most events cost one Map probe.
 * Addresses that do not parse get all-null fields and are not cached. Results are frozen and shared.
 */
export function createEnricher(parts: EnricherParts): Enricher {
  const { geo, asn, isp, ptr } = parts;
  const limit = Math.max(1, parts.cacheSize ?? 8192);
  // Two generations instead of a strict LRU: a hit costs one or two Map probes and no reordering.
  let young = new Map<string, Enrichment>();
  let old = new Map<string, Enrichment>();

  const compute = (ip: string): Enrichment | null => {
    // Intake's hot path: a plain dotted quad goes to the lookups as an integer when they take one.
    const n = ipv4ToInt(ip);
    if (n >= 0 && geo?.countryV4 !== undefined && asn?.asnV4 !== undefined && isp?.ispV4 !== undefined) {
      const a = asn.asnV4(n);
      const number = a === null ? null : a.asn;
      return Object.freeze({ country: geo.countryV4(n), asn: number, asOrg: a === null ? null : a.org, isp: isp.ispV4(n, number), ptr: null });
    }
    const p = parseIp(ip);
    if (p === null) return null;
    const text = p.text;
    const a = asn?.asn(text) ?? null;
    return Object.freeze({
      country: geo?.country(text) ?? null,
      asn: a?.asn ?? null,
      asOrg: a?.org ?? null,
      isp: isp?.isp(text) ?? null,
      ptr: null,
    });
  };

  const enricher: Enricher = {
    enrich(ip: string): Enrichment {
      let e = young.get(ip);
      if (e !== undefined) return e;
      e = old.get(ip);
      if (e === undefined) {
        const fresh = compute(ip);
        if (fresh === null) return EMPTY;
        e = fresh;
      }
      if (young.size >= limit) {
        old = young;
        young = new Map();
      }
      young.set(ip, e);
      return e;
    },
  };
  if (ptr !== undefined) {
    enricher.enrichPtr = (ip: string): Promise<string | null> => {
      const p = parseIp(ip);
      return p === null ? Promise.resolve(null) : ptr.ptr(p.text);
    };
  }
  return enricher;
}
