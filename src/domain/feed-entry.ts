/**
 * Threat-feed entries: what every domain list, IP list and blocklist reader in src/feeds turns its
 * own layout into. Pure types and rules; the readers do the parsing and the I/O.
 */
import type { RawRef } from './event.js';

/** What an entry lists. A CIDR of full length (/32, /128) is stored as kind 'ip'. */
export const FEED_ENTRY_KINDS = ['domain', 'ip', 'cidr', 'url', 'asn'] as const;
export type FeedEntryKind = (typeof FEED_ENTRY_KINDS)[number];

export interface FeedEntry {
  readonly kind: FeedEntryKind;
  /**
   * The canonical value that identifies the entry within its kind, used for deduplication,
   * persistence and matching: a lowercase domain without trailing dot, a canonical IP
   * (IPv6 in RFC 5952 form), a CIDR with its host bits cleared, the URL as listed, or "AS<number>".
   */
  readonly value: string;
  /** The host name the entry names, when it names one (domain entries; URLs on a named host). */
  readonly domain?: string;
  /** The canonical IP the entry names or resolved to according to the feed. */
  readonly ip?: string;
  readonly port?: number;
  readonly asn?: number;
  /** The full URL, when the feed gave one. */
  readonly url?: string;
  /** Feed-level classification, e.g. 'botnet_cc', 'payload_delivery', 'malware_download', 'drop', 'asn-drop', 'rbn'. */
  readonly category: string;
  /** Malware family as the feed names it, e.g. 'Dridex', 'win.remcos'. */
  readonly malware?: string;
  /** UTC, ISO 8601 with milliseconds and Z. Date-only feed values become midnight UTC. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Free text the feed attached: MDL description, SBL id, rule message, tags. */
  readonly description?: string;
  /** Feed status column when present, e.g. 'online', 'offline'. */
  readonly status?: string;
  /** Set when the entry's IP, CIDR or name is on the configured sinkhole list. */
  readonly sinkhole?: true;
  readonly sinkholeLabel?: string;
  /** The first line that listed the entry (for JSON arrays: line null, row "item:<n>", n 1-based). */
  readonly ref: RawRef;
}

/** A feed line (or item of a line) that could not become an entry. Kept, counted, never dropped. */
export interface FeedReject {
  /** The file as given (or the name given with a text input). */
  readonly source: string;
  /** 1-based line number; for JSON array items the line the item starts on. */
  readonly line: number;
  /** A short human sentence, e.g. "expected 7 or 9 columns, got 5". */
  readonly reason: string;
  /** The raw line or item, truncated to MAX_RAW_KEPT characters. */
  readonly raw: string;
}

/** Where a snapshot's date came from. Header beats an explicit option, which beats the file's mtime. */
export type SnapshotDateSource = 'header' | 'option' | 'mtime' | 'unknown';

/**
 * One parsed copy of one feed file.
 *
 * Counting invariants (checked by `snapshotCountProblems`):
 *   linesRead = comments + blank + dataLines
 *   itemsRead = entries.length + rejects.length + duplicates + filtered
 * For formats with one item per line (all but Emerging Threats rules, whose rule headers list
 * many addresses, and JSON arrays, whose items span lines) itemsRead = dataLines.
 */
export interface FeedSnapshot {
  /** Feed name: the option given, else the file's base name. */
  readonly feed: string;
  /** The concrete layout read, e.g. 'mdl-updatescsv-7', 'threatfox-csv-15', 'feodo-json', 'spamhaus-drop-text'. */
  readonly format: string;
  /** The file as given, or the name given with a text input. */
  readonly source: string;
  /** YYYY-MM-DD (UTC) of the list's contents; null when nothing told us. */
  readonly snapshotDate: string | null;
  /** Full UTC time when the header gave one. */
  readonly snapshotAt: string | null;
  readonly snapshotDateSource: SnapshotDateSource;
  /** Entry count the file states about itself ("# END (2) entries", FireHOL "Entries :", Spamhaus metadata "records"). */
  readonly declaredCount: number | null;
  readonly entries: readonly FeedEntry[];
  readonly rejects: readonly FeedReject[];
  /** Items whose kind and value were already listed; they only widen the first entry's first/last seen. */
  readonly duplicates: number;
  /** Items read and understood but left out: by the category filter or as not an address (e.g. hash IOCs). */
  readonly filtered: number;
  /** Why items were left out, with counts, e.g. { category: 3, 'ioc_type:sha256_hash': 2 }. */
  readonly filteredBy: Readonly<Record<string, number>>;
  readonly linesRead: number;
  /** Comment, column-header and metadata lines. */
  readonly comments: number;
  readonly blank: number;
  readonly dataLines: number;
  readonly itemsRead: number;
  /** Things a reader noticed that are not per-line rejects, e.g. a header date that disagrees with the option. */
  readonly warnings: readonly string[];
}

/** The counting invariants a snapshot must satisfy; returns the broken ones (empty when all hold). */
export function snapshotCountProblems(s: FeedSnapshot): string[] {
  const problems: string[] = [];
  if (s.linesRead !== s.comments + s.blank + s.dataLines) {
    problems.push(`linesRead ${s.linesRead} != comments ${s.comments} + blank ${s.blank} + dataLines ${s.dataLines}`);
  }
  const items = s.entries.length + s.rejects.length + s.duplicates + s.filtered;
  if (s.itemsRead !== items) {
    problems.push(`itemsRead ${s.itemsRead} != entries ${s.entries.length} + rejects ${s.rejects.length} + duplicates ${s.duplicates} + filtered ${s.filtered}`);
  }
  const byReason = Object.values(s.filteredBy).reduce((a, b) => a + b, 0);
  if (byReason !== s.filtered) problems.push(`filteredBy sums to ${byReason}, filtered is ${s.filtered}`);
  return problems;
}

/** The key under which entries deduplicate and persist: the same value of another kind is another entry. */
export function feedEntryKey(e: Pick<FeedEntry, 'kind' | 'value'>): string {
  return `${e.kind}:${e.value}`;
}
