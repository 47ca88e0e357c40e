/**
 * Listing persistence: of the entries in a newer snapshot, the share that an older snapshot of the
 * same list already carried. The traceback paper reads a long listing as a sign of unmanaged or
 * bulletproof hosting (it found 34% still listed after about 9 months).
 *
 * An entry counts as already listed when the older snapshot has the same kind and value, or when
 * the entry is an IP or CIDR that lies wholly inside a CIDR the older snapshot listed (a /24
 * listed before covers an IP in it listed now). The reverse (a wider CIDR now, a narrower one
 * before) does not count: most of the new prefix was not listed. Sinkholed entries are counted
 * like any other; filter the snapshots first to leave them out.
 */
import type { FeedSnapshot } from '../domain/feed-entry.js';
import { feedEntryKey } from '../domain/feed-entry.js';
import { PrefixIndex } from './prefix-index.js';

export interface ListingPersistence {
  /** Entries in the newer snapshot. */
  readonly newerEntries: number;
  /** Of those, entries already listed in the older snapshot (by value or CIDR containment). */
  readonly alsoInOlder: number;
  /** alsoInOlder / newerEntries; null when the newer snapshot is empty. */
  readonly share: number | null;
  /** Days between the snapshot dates; null when either date is unknown. */
  readonly daysApart: number | null;
  /** daysApart in average Gregorian months (30.436875 days), rounded to 2 decimals. */
  readonly monthsApart: number | null;
}

const DAYS_PER_MONTH = 365.2425 / 12;

export function listingPersistence(older: FeedSnapshot, newer: FeedSnapshot): ListingPersistence {
  const keys = new Set(older.entries.map(feedEntryKey));
  const olderCidrs = new PrefixIndex<true>();
  for (const e of older.entries) if (e.kind === 'cidr') olderCidrs.add(e.value, true);
  let alsoInOlder = 0;
  for (const e of newer.entries) {
    if (keys.has(feedEntryKey(e))) alsoInOlder++;
    else if ((e.kind === 'ip' || e.kind === 'cidr') && olderCidrs.covering(e.value).length > 0) alsoInOlder++;
  }
  const newerEntries = newer.entries.length;
  const daysApart =
    older.snapshotDate !== null && newer.snapshotDate !== null
      ? Math.round((Date.parse(`${newer.snapshotDate}T00:00:00Z`) - Date.parse(`${older.snapshotDate}T00:00:00Z`)) / 86_400_000)
      : null;
  return {
    newerEntries,
    alsoInOlder,
    share: newerEntries === 0 ? null : alsoInOlder / newerEntries,
    daysApart,
    monthsApart: daysApart === null ? null : Math.round((daysApart / DAYS_PER_MONTH) * 100) / 100,
  };
}
