/**
 * Plain lists: one IP, CIDR or domain per line, as published by Feodo ("recommended"), ZeuS
 * Tracker, Emerging Threats fwrules, blocklist.de, Bambenek (first CSV column). Lines starting
 * with "#", ";" or "//" are comments (and may state the snapshot date); text after the first
 * value (after white space, ",", ";" or "|") is kept as the description, so a category pattern
 * can select on it. Category: the defaultCategory option, else 'listed'.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import type { SnapshotBuilder } from '../snapshot-builder.js';
import { canonicalAddress, canonicalDomain } from '../values.js';

export interface PlainLineOptions {
  /** Accept domain names (domain lists); blocklists take addresses only. */
  readonly domains: boolean;
  readonly category: string;
}

const COMMENT = /^\s*(#|;|\/\/)/;

/** Reads one plain-list line into one item; shared with the FireHOL reader. */
export function plainLine(text: string, no: number, b: SnapshotBuilder, o: PlainLineOptions): 'comment' | 'data' {
  if (COMMENT.test(text)) return 'comment';
  const trimmed = text.trim();
  const m = /^([^\s,;|]+)\s*[\s,;|]?\s*(.*)$/.exec(trimmed);
  const value = m?.[1] ?? trimmed;
  const rest = (m?.[2] ?? '').replace(/^#\s*/, '').trim();
  const description = rest === '' ? {} : { description: rest };
  const ref = { file: b.source, line: no, row: null };
  const addr = canonicalAddress(value);
  if (addr.ok) {
    const a = addr.value;
    if (a.hostBitsCleared) b.warn(`line ${no}: ${value} has host bits set; listed as ${a.value}`);
    b.entry({ kind: a.kind, value: a.value, ...(a.kind === 'ip' ? { ip: a.value } : {}), category: o.category, ...description, ref });
    return 'data';
  }
  if (/^[\d.]+-[\d.]+$/.test(value)) {
    b.reject(no, `IP ranges are not supported: ${value}`, text);
    return 'data';
  }
  if (o.domains && !value.includes('/') && !/^[\d.:]+$/.test(value)) {
    const d = canonicalDomain(value);
    if (d.ok) {
      b.entry({ kind: 'domain', value: d.value, domain: d.value, category: o.category, ...description, ref });
      return 'data';
    }
    b.reject(no, d.reason, text);
    return 'data';
  }
  b.reject(no, `${addr.reason}${o.domains ? ' nor a domain name' : ''}`, text);
  return 'data';
}

const factory = (opts: FeedReadOptions) => (): LineParser => {
  const o: PlainLineOptions = { domains: true, category: opts.defaultCategory ?? 'listed' };
  return (text, no, b) => plainLine(text, no, b, o);
};

export function parsePlainList(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(factory(opts), 'plain', input, opts);
}

export function readPlainList(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(factory(opts), 'plain', path, opts);
}
