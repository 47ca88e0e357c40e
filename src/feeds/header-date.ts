/**
 * Snapshot dates and stated entry counts from feed comment headers. Lists state their own date in
 * many ways; the date of the data matters more than the date a mirror copied it, so the phrases
 * are ranked (lower rank wins) and the best one seen in the header is kept.
 */
import { parseFeedTime } from './values.js';

export interface HeaderDate {
  /** Full UTC ISO time. */
  readonly at: string;
  /** Lower is more trustworthy. */
  readonly rank: number;
  /** The phrase that gave it, for warnings. */
  readonly phrase: string;
}

const PHRASES: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bLast updated\s*:?\s*(.+)$/i, 0], // abuse.ch CSVs
  [/\bGenerated on\s*:?\s*(.+)$/i, 0], // abuse.ch text lists
  [/\bFeed generated at\s*:?\s*(.+)$/i, 0], // Bambenek
  [/\bSource File Date\s*:\s*(.+)$/i, 1], // FireHOL: when the upstream list was made
  [/\bThis File Date\s*:\s*(.+)$/i, 2], // FireHOL: when FireHOL copied it
  [/\bLast-Modified\s*:\s*(.+)$/i, 1], // Spamhaus text
  [/^\W*updated\s*:\s*(.+)$/i, 1], // DShield
  [/\bDROP List (\d{4}\/\d{2}\/\d{2})\b/i, 3], // Spamhaus title line, date only
];

/** Parses any of the date spellings feeds use in headers; null when it is not a date. */
export function parseHeaderTime(text: string): string | null {
  const s = text.replace(/[#\s]+$/, '').trim();
  const feed = parseFeedTime(s);
  if (feed.ok) return feed.value;
  // An ISO-looking date that parseFeedTime refused (e.g. 2021-02-30) must not roll over via Date.parse.
  if (/^\d{4}[-/]\d{2}[-/]\d{2}/.test(s)) return null;
  // RFC 1123 ("Mon, 14 Sep 2015 04:39:22 GMT") and date(1) ("Mon Jun  1 19:09:11 UTC 2015") forms.
  if (!/\b(UTC|GMT)\b/.test(s) || !/\b\d{4}\b/.test(s) || !/\d{1,2}:\d{2}/.test(s)) return null;
  const t = Date.parse(s.replace(/\s+/g, ' '));
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** The date a comment line states, if it states one in a phrase we know. */
export function headerDateOf(comment: string): HeaderDate | null {
  for (const [re, rank] of PHRASES) {
    const m = re.exec(comment);
    if (!m || m[1] === undefined) continue;
    const at = parseHeaderTime(m[1]);
    if (at !== null) return { at, rank, phrase: comment.trim() };
  }
  return null;
}

/** Keeps the better of two header dates. */
export function betterHeaderDate(a: HeaderDate | null, b: HeaderDate | null): HeaderDate | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.rank < a.rank ? b : a;
}

/** Entry counts stated in footers/headers: "# END (2) entries", "# END (1 entries)", "# of entries: 2", FireHOL "Entries : 505 unique IPs". */
export function declaredCountOf(comment: string): number | null {
  const m =
    /^#\s*END\s*\((\d+)/i.exec(comment) ??
    /^#\s*of entries\s*:\s*(\d+)/i.exec(comment) ??
    /^#\s*Entries\s*:\s*(\d+)\s/i.exec(comment);
  return m && m[1] !== undefined ? Number(m[1]) : null;
}
