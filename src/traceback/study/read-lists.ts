/**
 * Reads C&C domain lists and the benign control list through the feeds registry. Every entry that
 * names a host becomes a name to resolve; an entry that is an IP (Feodo) is a C&C address as it
 * stands. Bad lines come back as rejects with their source and line; a missing or unreadable
 * file is one reject too, so that no input ends a run.
 */
import { open } from 'node:fs/promises';
import type { FeedEntry, FeedSnapshot } from '../../domain/feed-entry.js';
import { detectFeedFormat, FEED_FORMATS, isFeedFormatName, type FeedFormatName } from '../../feeds/registry.js';
import type { FeedReadOptions } from '../../feeds/read-options.js';
import type { NameSet, StudyName, StudyRejectRecord } from '../../storage/repositories/traceback-studies.js';

/** One list file as the user named it. */
export interface ListFile {
  readonly path: string;
  /** A feeds registry name; detected from the first lines when absent. */
  readonly format?: string;
  /** Used when the file states no date of its own. */
  readonly snapshotDate?: string;
  /** Feed name; default the file's base name. Snapshots of one list share it. */
  readonly feed?: string;
}

export interface ListReadOptions {
  /** Category filter passed to the feeds reader (see FeedReadOptions.category). */
  readonly category?: readonly string[] | RegExp;
}

export interface ListFileSummary {
  readonly source: string;
  readonly format: string | null;
  readonly snapshotDate: string | null;
  readonly entries: number;
  readonly names: number;
  readonly ips: number;
  readonly rejects: number;
  readonly duplicates: number;
  readonly filtered: number;
  /** Entries of other kinds (CIDR, ASN) that a study cannot resolve. */
  readonly skipped: number;
}

export interface ReadListsResult {
  readonly names: StudyName[];
  readonly rejects: StudyRejectRecord[];
  readonly files: ListFileSummary[];
  /** The snapshots as read, for lifetime and persistence. */
  readonly snapshots: FeedSnapshot[];
}

/** Reads the first lines of a file for format detection; [] when it cannot be read. */
async function firstLines(path: string, bytes = 16_384): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8').split('\n').slice(0, 30);
  } finally {
    await fh.close();
  }
}

/** Reads one feed file: the format given or detected, never throwing for the file's content. */
export async function readFeedFile(file: ListFile, opts: FeedReadOptions = {}): Promise<{ snapshot: FeedSnapshot | null; reject: StudyRejectRecord | null }> {
  try {
    let format: FeedFormatName | null = null;
    if (file.format !== undefined) {
      if (!isFeedFormatName(file.format)) return { snapshot: null, reject: { source: file.path, line: 0, reason: `unknown list format ${JSON.stringify(file.format)}`, raw: '' } };
      format = file.format;
    } else {
      format = detectFeedFormat(await firstLines(file.path));
      if (format === null) return { snapshot: null, reject: { source: file.path, line: 0, reason: 'list format not recognised; name it with --format', raw: '' } };
    }
    const snapshot = await FEED_FORMATS[format].read(file.path, { ...opts, ...(file.snapshotDate !== undefined ? { snapshotDate: file.snapshotDate } : {}), ...(file.feed !== undefined ? { feed: file.feed } : {}) });
    return { snapshot, reject: null };
  } catch (e) {
    return { snapshot: null, reject: { source: file.path, line: 0, reason: `cannot read the list: ${(e as Error).message}`, raw: '' } };
  }
}

/** The host name an entry names, or its IP when it is an address entry; null for CIDR/ASN entries. */
export function studyTarget(e: FeedEntry): { kind: 'domain' | 'ip'; value: string } | null {
  if (e.kind === 'domain' && e.domain !== undefined) return { kind: 'domain', value: e.domain };
  if (e.kind === 'domain') return { kind: 'domain', value: e.value };
  if (e.kind === 'url' && e.domain !== undefined) return { kind: 'domain', value: e.domain };
  if (e.kind === 'url' && e.ip !== undefined) return { kind: 'ip', value: e.ip };
  if (e.kind === 'ip') return { kind: 'ip', value: e.value };
  return null;
}

/**
 * Reads the lists of one set. Names are deduplicated across files (the first file that lists a
 * name is its source; later first/last seen dates widen it).
 */
export async function readLists(files: readonly ListFile[], set: NameSet, opts: ListReadOptions = {}): Promise<ReadListsResult> {
  const byName = new Map<string, StudyName>();
  const rejects: StudyRejectRecord[] = [];
  const summaries: ListFileSummary[] = [];
  const snapshots: FeedSnapshot[] = [];
  for (const file of files) {
    const { snapshot, reject } = await readFeedFile(file, opts.category !== undefined ? { category: opts.category } : {});
    if (snapshot === null) {
      if (reject !== null) rejects.push(reject);
      summaries.push({ source: file.path, format: null, snapshotDate: null, entries: 0, names: 0, ips: 0, rejects: 1, duplicates: 0, filtered: 0, skipped: 0 });
      continue;
    }
    snapshots.push(snapshot);
    for (const r of snapshot.rejects) rejects.push({ source: r.source, line: r.line, reason: r.reason, raw: r.raw });
    let names = 0;
    let ips = 0;
    let skipped = 0;
    for (const e of snapshot.entries) {
      const t = studyTarget(e);
      if (t === null) {
        skipped++;
        continue;
      }
      if (t.kind === 'domain') names++;
      else ips++;
      const prev = byName.get(t.value);
      if (prev !== undefined) {
        byName.set(t.value, widen(prev, e));
        continue;
      }
      byName.set(t.value, {
        set,
        name: t.value,
        kind: t.kind,
        source: snapshot.source,
        snapshotDate: snapshot.snapshotDate,
        category: e.category,
        firstSeen: e.firstSeen ?? null,
        lastSeen: e.lastSeen ?? null,
        listedIp: t.kind === 'domain' ? (e.ip ?? null) : null,
      });
    }
    summaries.push({
      source: snapshot.source,
      format: snapshot.format,
      snapshotDate: snapshot.snapshotDate,
      entries: snapshot.entries.length,
      names,
      ips,
      rejects: snapshot.rejects.length,
      duplicates: snapshot.duplicates,
      filtered: snapshot.filtered,
      skipped,
    });
  }
  return { names: [...byName.values()], rejects, files: summaries, snapshots };
}

function widen(n: StudyName, e: FeedEntry): StudyName {
  const first = [n.firstSeen, e.firstSeen ?? null].filter((x): x is string => x !== null).sort()[0] ?? null;
  const last = [n.lastSeen, e.lastSeen ?? null].filter((x): x is string => x !== null).sort().pop() ?? null;
  return { ...n, firstSeen: first, lastSeen: last };
}
