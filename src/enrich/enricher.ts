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

  // Intake's hot path: when every configured lookup takes IPv4 addresses as integers, a plain dotted
  // quad never becomes text again, and its cache is a direct-mapped table (a slot per hash of the
  // address) instead of Maps: with many distinct sources most look-ups miss, and a miss then costs
  // little more than the look-ups themselves.
  const byInt =
    (geo === undefined || geo.countryV4 !== undefined) &&
    (asn === undefined || asn.asnV4 !== undefined) &&
    (isp === undefined || isp.ispV4 !== undefined);
  const bits = Math.min(20, Math.max(1, Math.ceil(Math.log2(limit * 2))));
  const slotKeys = new Uint32Array(byInt ? 1 << bits : 0);
  const slotValues: (Enrichment | undefined)[] = byInt ? new Array<Enrichment | undefined>(1 << bits).fill(undefined) : [];

  const computeV4 = (n: number): Enrichment => {
    const a = asn?.asnV4?.(n) ?? null;
    const number = a === null ? null : a.asn;
    return Object.freeze({
      country: geo?.countryV4?.(n) ?? null,
      asn: number,
      asOrg: a === null ? null : a.org,
      isp: isp?.ispV4?.(n, asn === undefined ? undefined : number) ?? null,
      ptr: null,
    });
  };

  const compute = (ip: string): Enrichment | null => {
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
      if (byInt) {
        const n = ipv4ToInt(ip);
        if (n >= 0) {
          const slot = Math.imul(n, 0x9e3779b1) >>> (32 - bits);
          const hit = slotValues[slot];
          if (hit !== undefined && slotKeys[slot] === n) return hit;
          const fresh = computeV4(n);
          slotKeys[slot] = n;
          slotValues[slot] = fresh;
          return fresh;
        }
      }
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
