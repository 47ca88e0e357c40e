/**
 * Which blocklists list an address. The traceback study counts a C&C IP as "unmanaged / bulletproof"
 * evidence when blocklists carry it, either directly (its IP or a CIDR around it, as in DROP,
 * FireHOL netsets and ET rules) or through its origin AS (ASN-DROP).
 *
 * Only entries of kind ip, cidr and asn match. Domain and URL entries do not match by the IP the
 * feed once saw them on: that IP was a listing-time fact, not a listing of the IP.
 */
import type { FeedEntry, FeedSnapshot } from '../domain/feed-entry.js';
import { PrefixIndex } from './prefix-index.js';
import { canonicalIp } from './values.js';

export interface BlocklistHit {
  readonly feed: string;
  readonly format: string;
  readonly snapshotDate: string | null;
  readonly entry: FeedEntry;
  /** 'ip': listed as that exact address; 'cidr': inside a listed prefix; 'asn': its AS is listed. */
  readonly by: 'ip' | 'cidr' | 'asn';
}

export interface BlocklistMatcher {
  /** Every listing of the IP (most specific prefix first, then ASN listings); [] for an invalid IP. */
  match(ip: string, asn?: number | null): BlocklistHit[];
  /** The distinct feed names that list the IP. */
  feedsListing(ip: string, asn?: number | null): string[];
}

interface Listed {
  readonly snapshot: FeedSnapshot;
  readonly entry: FeedEntry;
}

export function createBlocklistMatcher(snapshots: readonly FeedSnapshot[]): BlocklistMatcher {
  const prefixes = new PrefixIndex<Listed>();
  const byAsn = new Map<number, Listed[]>();
  for (const snapshot of snapshots) {
    for (const entry of snapshot.entries) {
      if (entry.kind === 'ip' || entry.kind === 'cidr') prefixes.add(entry.value, { snapshot, entry });
      else if (entry.kind === 'asn' && entry.asn !== undefined) {
        const list = byAsn.get(entry.asn) ?? [];
        list.push({ snapshot, entry });
        byAsn.set(entry.asn, list);
      }
    }
  }
  const hit = (l: Listed, by: BlocklistHit['by']): BlocklistHit => ({
    feed: l.snapshot.feed,
    format: l.snapshot.format,
    snapshotDate: l.snapshot.snapshotDate,
    entry: l.entry,
    by,
  });
  const match = (ip: string, asn?: number | null): BlocklistHit[] => {
    const c = canonicalIp(ip);
    if (!c.ok) return [];
    const hits = prefixes.lookup(c.value).map((h) => hit(h.payload, h.payload.entry.kind === 'ip' ? 'ip' : 'cidr'));
    if (asn !== undefined && asn !== null) for (const l of byAsn.get(asn) ?? []) hits.push(hit(l, 'asn'));
    return hits;
  };
  return {
    match,
    feedsListing: (ip, asn) => [...new Set(match(ip, asn).map((h) => h.feed))],
  };
}
