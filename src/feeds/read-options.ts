import type { SinkholeList } from './sinkholes.js';

/** Options every feed reader takes. */
export interface FeedReadOptions {
  /** Feed name for the snapshot; default: the file's base name (or `source` for text input). */
  readonly feed?: string;
  /** Name to report for text input in rejects and refs; default "<text>". */
  readonly source?: string;
  /**
   * Snapshot date (YYYY-MM-DD or an ISO time) to use when the file's header states none.
   * A header date wins; when it disagrees with this option the snapshot carries a warning.
   */
  readonly snapshotDate?: string;
  /**
   * Keep only some entries: a list of categories (e.g. ['botnet_cc']), or a pattern tested
   * against the entry's category, malware and description (e.g. /zeus|c&c/i for MDL).
   * Entries left out are counted under filteredBy.category.
   */
  readonly category?: readonly string[] | RegExp;
  /** Entries on this list are flagged sinkhole: true (they stay in the snapshot). */
  readonly sinkholes?: SinkholeList;
  /** Category for formats that carry none (plain lists, FireHOL); default per reader. */
  readonly defaultCategory?: string;
}
