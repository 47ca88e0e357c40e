/**
 * How long a C&C address (or name) stayed on a list, from dated lists: a series of snapshots of the
 * same list, or first-seen / last-seen columns (ThreatFox first_seen_utc / last_seen_utc, Feodo
 * first_seen / last_online). Pure functions.
 *
 * The span is what was observed: from the first date the key was listed to the last. A key still
 * listed at the last date known is "censored": its real lifetime is at least the span.
 */

export interface ListingSpan {
  readonly key: string;
  /** YYYY-MM-DD or a full ISO time, as given. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** (lastSeen − firstSeen) in days; fractional when times were given. */
  readonly days: number;
  /** Still listed at the last date known, so `days` is a lower bound. */
  readonly censored: boolean;
}

export interface DatedSnapshot {
  /** YYYY-MM-DD or an ISO time. */
  readonly date: string;
  readonly keys: Iterable<string>;
}

export interface ColumnRecord {
  readonly key: string;
  readonly firstSeen: string | null | undefined;
  /** null or absent: still listed (then `asOf` stands in, and the span is censored). */
  readonly lastSeen: string | null | undefined;
}

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch for YYYY-MM-DD (UTC midnight) or an ISO time; null when it is neither. */
export function parseListDate(s: string | null | undefined): number | null {
  if (s === null || s === undefined) return null;
  const t = s.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(t) ? Date.parse(`${t}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** Days between two dates; null when either cannot be read. */
export function daysBetween(from: string, to: string): number | null {
  const a = parseListDate(from);
  const b = parseListDate(to);
  return a === null || b === null ? null : (b - a) / DAY_MS;
}

/**
 * Spans from a series of snapshots of one list. Snapshots with an unreadable date are returned in
 * `undated` and not used; the order of the input does not matter.
 */
export function spansFromSnapshots(snapshots: readonly DatedSnapshot[]): { spans: Map<string, ListingSpan>; undated: number } {
  const dated = snapshots
    .map((s) => ({ s, ms: parseListDate(s.date) }))
    .filter((x): x is { s: DatedSnapshot; ms: number } => x.ms !== null)
    .sort((a, b) => a.ms - b.ms);
  const latest = dated.length > 0 ? (dated[dated.length - 1] as { ms: number }).ms : null;
  const seen = new Map<string, { first: { date: string; ms: number }; last: { date: string; ms: number } }>();
  for (const { s, ms } of dated) {
    for (const key of s.keys) {
      const cur = seen.get(key);
      if (cur === undefined) seen.set(key, { first: { date: s.date, ms }, last: { date: s.date, ms } });
      else cur.last = { date: s.date, ms };
    }
  }
  const spans = new Map<string, ListingSpan>();
  for (const [key, v] of seen) {
    spans.set(key, { key, firstSeen: v.first.date, lastSeen: v.last.date, days: (v.last.ms - v.first.ms) / DAY_MS, censored: v.last.ms === latest });
  }
  return { spans, undated: snapshots.length - dated.length };
}

/**
 * Spans from first-seen / last-seen columns. A record without a readable first-seen date is
 * counted in `undated`; one without a last-seen date is still listed and runs to `asOf` (censored),
 * or is undated when `asOf` is null. A last-seen before first-seen is undated too (broken row).
 * The same key twice widens to the earliest first and the latest last seen.
 */
export function spansFromColumns(records: readonly ColumnRecord[], asOf: string | null): { spans: Map<string, ListingSpan>; undated: number } {
  const spans = new Map<string, ListingSpan>();
  let undated = 0;
  for (const r of records) {
    const first = parseListDate(r.firstSeen);
    const hasLast = r.lastSeen !== null && r.lastSeen !== undefined && r.lastSeen.trim() !== '';
    const lastText = hasLast ? (r.lastSeen as string) : asOf;
    const last = parseListDate(lastText);
    if (first === null || last === null || last < first) {
      undated++;
      continue;
    }
    const span: ListingSpan = { key: r.key, firstSeen: r.firstSeen as string, lastSeen: lastText as string, days: (last - first) / DAY_MS, censored: !hasLast };
    const prev = spans.get(r.key);
    spans.set(r.key, prev === undefined ? span : mergeSpan(prev, span));
  }
  return { spans, undated };
}

/** The union of two observations of one key: earliest first seen, latest last seen. */
export function mergeSpan(a: ListingSpan, b: ListingSpan): ListingSpan {
  const af = parseListDate(a.firstSeen) ?? 0;
  const bf = parseListDate(b.firstSeen) ?? 0;
  const al = parseListDate(a.lastSeen) ?? 0;
  const bl = parseListDate(b.lastSeen) ?? 0;
  const first = af <= bf ? a.firstSeen : b.firstSeen;
  const lastOf = al > bl ? a : bl > al ? b : { lastSeen: a.lastSeen, censored: a.censored || b.censored };
  return { key: a.key, firstSeen: first, lastSeen: lastOf.lastSeen, days: (Math.max(al, bl) - Math.min(af, bf)) / DAY_MS, censored: lastOf.censored };
}

/** Merges span maps key by key. */
export function mergeSpans(...maps: readonly ReadonlyMap<string, ListingSpan>[]): Map<string, ListingSpan> {
  const out = new Map<string, ListingSpan>();
  for (const m of maps) {
    for (const [k, s] of m) {
      const prev = out.get(k);
      out.set(k, prev === undefined ? s : mergeSpan(prev, s));
    }
  }
  return out;
}
