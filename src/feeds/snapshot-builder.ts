/**
 * Collects one feed file's entries, rejects and counts into a FeedSnapshot. Readers only say what
 * each line and item is; deduplication, the category filter, sinkhole flags, the snapshot date
 * and the counting invariants live here once.
 */
import { basename } from 'node:path';
import { truncateRaw } from '../domain/event.js';
import type { FeedEntry, FeedReject, FeedSnapshot, SnapshotDateSource } from '../domain/feed-entry.js';
import { feedEntryKey } from '../domain/feed-entry.js';
import { betterHeaderDate, declaredCountOf, headerDateOf, type HeaderDate } from './header-date.js';
import type { FeedReadOptions } from './read-options.js';
import { parseFeedTime } from './values.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class SnapshotBuilder {
  readonly source: string;
  private format: string;
  private readonly opts: FeedReadOptions;
  private readonly entries: Mutable<FeedEntry>[] = [];
  private readonly byKey = new Map<string, Mutable<FeedEntry>>();
  private readonly rejects: FeedReject[] = [];
  private readonly warnings: string[] = [];
  private readonly filteredBy: Record<string, number> = {};
  private duplicates = 0;
  private filtered = 0;
  private linesRead = 0;
  private comments = 0;
  private blank = 0;
  private dataLines = 0;
  private itemsRead = 0;
  private headerDate: HeaderDate | null = null;
  private declared: number | null = null;

  constructor(source: string, format: string, opts: FeedReadOptions) {
    this.source = source;
    this.format = format;
    this.opts = opts;
  }

  setFormat(format: string): void {
    this.format = format;
  }

  getFormat(): string {
    return this.format;
  }

  commentLine(text: string): void {
    this.linesRead++;
    this.comments++;
    this.noteHeader(text);
  }

  blankLine(): void {
    this.linesRead++;
    this.blank++;
  }

  dataLine(): void {
    this.linesRead++;
    this.dataLines++;
  }

  /** Looks for a snapshot date or stated count in a comment without counting a line. */
  noteHeader(text: string): void {
    this.headerDate = betterHeaderDate(this.headerDate, headerDateOf(text));
    const n = declaredCountOf(text);
    if (n !== null) this.declared = n;
  }

  setHeaderTime(at: string, phrase: string, rank = 0): void {
    this.headerDate = betterHeaderDate(this.headerDate, { at, rank, phrase });
  }

  setDeclaredCount(n: number): void {
    this.declared = n;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Items reported so far (entries, rejects, duplicates, filtered). */
  itemCount(): number {
    return this.itemsRead;
  }

  /** One item that could not become an entry. */
  reject(line: number, reason: string, raw: string): void {
    this.itemsRead++;
    this.rejects.push({ source: this.source, line, reason, raw: truncateRaw(raw) });
  }

  /** One item read and understood but left out for `why` (not a category decision). */
  skip(why: string): void {
    this.itemsRead++;
    this.filtered++;
    this.filteredBy[why] = (this.filteredBy[why] ?? 0) + 1;
  }

  /** One good item: deduplicated, category-filtered, sinkhole-flagged. */
  entry(e: Omit<FeedEntry, 'ref'> & { ref: FeedEntry['ref'] }): void {
    this.itemsRead++;
    if (!this.passesCategory(e)) {
      this.filtered++;
      this.filteredBy.category = (this.filteredBy.category ?? 0) + 1;
      return;
    }
    const key = feedEntryKey(e);
    const seen = this.byKey.get(key);
    if (seen) {
      this.duplicates++;
      // A listing seen again widens the known lifetime; everything else stays as first listed.
      if (e.firstSeen !== undefined && (seen.firstSeen === undefined || e.firstSeen < seen.firstSeen)) seen.firstSeen = e.firstSeen;
      if (e.lastSeen !== undefined && (seen.lastSeen === undefined || e.lastSeen > seen.lastSeen)) seen.lastSeen = e.lastSeen;
      return;
    }
    const copy: Mutable<FeedEntry> = { ...e };
    const label = this.opts.sinkholes?.labelFor(copy);
    if (label !== undefined && label !== null) {
      copy.sinkhole = true;
      copy.sinkholeLabel = label;
    }
    this.byKey.set(key, copy);
    this.entries.push(copy);
  }

  private passesCategory(e: Pick<FeedEntry, 'category' | 'malware' | 'description'>): boolean {
    const f = this.opts.category;
    if (f === undefined) return true;
    if (f instanceof RegExp) {
      f.lastIndex = 0;
      const hit = [e.category, e.malware, e.description].some((s) => {
        if (s === undefined) return false;
        f.lastIndex = 0;
        return f.test(s);
      });
      return hit;
    }
    return f.includes(e.category);
  }

  /** The snapshot; `mtime` is the file's modification time when the input was a file. */
  finish(mtime: Date | null): FeedSnapshot {
    const { date, at, source } = this.resolveDate(mtime);
    return {
      feed: this.opts.feed ?? basename(this.source),
      format: this.format,
      source: this.source,
      snapshotDate: date,
      snapshotAt: at,
      snapshotDateSource: source,
      declaredCount: this.declared,
      entries: this.entries,
      rejects: this.rejects,
      duplicates: this.duplicates,
      filtered: this.filtered,
      filteredBy: { ...this.filteredBy },
      linesRead: this.linesRead,
      comments: this.comments,
      blank: this.blank,
      dataLines: this.dataLines,
      itemsRead: this.itemsRead,
      warnings: this.warnings,
    };
  }

  private resolveDate(mtime: Date | null): { date: string | null; at: string | null; source: SnapshotDateSource } {
    let option: string | null = null;
    if (this.opts.snapshotDate !== undefined) {
      const p = parseFeedTime(this.opts.snapshotDate);
      const iso = p.ok ? p.value : Number.isFinite(Date.parse(this.opts.snapshotDate)) ? new Date(this.opts.snapshotDate).toISOString() : null;
      if (iso === null) this.warnings.push(`snapshotDate option ${JSON.stringify(this.opts.snapshotDate)} is not a date; ignored`);
      else option = iso;
    }
    if (this.headerDate !== null) {
      const date = this.headerDate.at.slice(0, 10);
      if (option !== null && option.slice(0, 10) !== date) {
        this.warnings.push(`header date ${date} ("${this.headerDate.phrase}") differs from the snapshotDate option ${option.slice(0, 10)}; the header wins`);
      }
      return { date, at: this.headerDate.at, source: 'header' };
    }
    if (option !== null) return { date: option.slice(0, 10), at: null, source: 'option' };
    if (mtime !== null && Number.isFinite(mtime.getTime())) return { date: mtime.toISOString().slice(0, 10), at: null, source: 'mtime' };
    return { date: null, at: null, source: 'unknown' };
  }
}
