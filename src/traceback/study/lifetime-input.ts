/**
 * Lifetime spans for a study: the first/last-seen columns of the C&C lists it read (ThreatFox,
 * Feodo), plus any series of dated snapshots of a C&C list. Spans are keyed by the listed value (a
 * domain or an IP); lifetimeOf() turns them into the lifetime of a C&C address.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { StudyName } from '../../storage/repositories/traceback-studies.js';
import { mergeSpan, mergeSpans, spansFromColumns, spansFromSnapshots, type ListingSpan } from '../lifetime/index.js';
import { studyTarget } from './read-lists.js';

export interface StudyLifetimes {
  readonly spans: Map<string, ListingSpan>;
  /** Entries or snapshots with dates that could not be read. */
  readonly undated: number;
}

/** Spans from the names' own columns (asOf: each name's snapshot date) and from dated snapshots. */
export function studyLifetimes(names: readonly StudyName[], snapshots: readonly FeedSnapshot[], columnLists: readonly FeedSnapshot[] = []): StudyLifetimes {
  const withColumns = names.filter((n) => n.set === 'cc' && n.firstSeen !== null);
  const columnMaps: Map<string, ListingSpan>[] = [];
  let undated = 0;
  const bySnapshot = new Map<string | null, StudyName[]>();
  for (const n of withColumns) bySnapshot.set(n.snapshotDate, [...(bySnapshot.get(n.snapshotDate) ?? []), n]);
  for (const [asOf, list] of bySnapshot) {
    const r = spansFromColumns(list.map((n) => ({ key: n.name, firstSeen: n.firstSeen, lastSeen: n.lastSeen })), asOf);
    columnMaps.push(r.spans);
    undated += r.undated;
  }
  for (const list of columnLists) {
    const records = list.entries.flatMap((e) => {
      const key = studyTarget(e)?.value;
      return key === undefined || e.firstSeen === undefined ? [] : [{ key, firstSeen: e.firstSeen, lastSeen: e.lastSeen ?? null }];
    });
    const r = spansFromColumns(records, list.snapshotDate);
    columnMaps.push(r.spans);
    undated += r.undated;
  }
  const series = spansFromSnapshots(
    snapshots.map((s) => ({
      date: s.snapshotDate ?? '',
      keys: s.entries.map((e) => studyTarget(e)?.value).filter((v): v is string => v !== undefined),
    })),
  );
  return { spans: mergeSpans(...columnMaps, series.spans), undated: undated + series.undated };
}

/** The lifetime of a C&C address: the widest span over the address itself and the names that led to it. */
export function lifetimeOf(spans: ReadonlyMap<string, ListingSpan>, ip: string, names: readonly string[]): ListingSpan | null {
  let out: ListingSpan | null = null;
  for (const key of [ip, ...names]) {
    const s = spans.get(key);
    if (s !== undefined) out = out === null ? s : mergeSpan(out, s);
  }
  return out;
}
