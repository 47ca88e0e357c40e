/**
 * Listing persistence of the blocklists a study uses: for each current blocklist snapshot and each
 * older snapshot of the same feed, the share of the current entries the older one already listed
 * (the paper: 34% after about nine months). A long listing reads as unmanaged hosting.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { listingPersistence } from '../../feeds/persistence.js';

export interface PersistenceRow {
  readonly feed: string;
  readonly olderDate: string | null;
  readonly newerDate: string | null;
  readonly newerEntries: number;
  readonly alsoInOlder: number;
  readonly share: number | null;
  readonly monthsApart: number | null;
}

/** Sinkholed entries are left out of both snapshots, so sinkholes cannot pass for long-listed hosts. */
export function blocklistPersistence(older: readonly FeedSnapshot[], current: readonly FeedSnapshot[]): PersistenceRow[] {
  const clean = (s: FeedSnapshot): FeedSnapshot => ({ ...s, entries: s.entries.filter((e) => e.sinkhole !== true) });
  const rows: PersistenceRow[] = [];
  for (const newer of current) {
    for (const old of older) {
      if (old.feed !== newer.feed) continue;
      const p = listingPersistence(clean(old), clean(newer));
      rows.push({ feed: newer.feed, olderDate: old.snapshotDate, newerDate: newer.snapshotDate, newerEntries: p.newerEntries, alsoInOlder: p.alsoInOlder, share: p.share, monthsApart: p.monthsApart });
    }
  }
  return rows;
}
