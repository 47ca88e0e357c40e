import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseIp, parseIpv4Range, parseIpv6Groups, parsePrefix, maskOf } from '../../domain/ip.js';
import { truncateRaw } from '../../domain/event.js';
import type { AsnLookup } from '../types.js';
import { AsnRangeBuilder, type AsnHit, type AsnRangeTable } from './range-table.js';

/** A line of an ASN file that was not used, with where it is and why. */
export interface AsnLineError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

/** An ASN lookup built from range files, with the account of what was read. */
export interface AsnTable extends AsnLookup {
  readonly v4Ranges: number;
  readonly v6Ranges: number;
  /** Ranges with ASN 0 (iptoasn's "Not routed"): read, understood, and answered as null. */
  readonly unrouted: number;
  /** Every bad or overlapping line, up to MAX_KEPT_ERRORS; errorCount counts them all. */
  readonly errors: readonly AsnLineError[];
  readonly errorCount: number;
}

/** Bad lines kept in full; beyond this they are only counted, so a garbage file cannot exhaust memory. */
export const MAX_KEPT_ERRORS = 10_000;

/** The IPv4 and IPv6 range files of the @ip-location-db/asn package. */
export function defaultAsnCsvPaths(): string[] {
  const require = createRequire(import.meta.url);
  return [require.resolve('@ip-location-db/asn/asn-ipv4.csv'), require.resolve('@ip-location-db/asn/asn-ipv6.csv')];
}

/**
 * Load IP-to-ASN range files. Each line may be any of:
 * - `start,end,asn,org` (@ip-location-db/asn; org may be "quoted, with commas" and "" escapes)
 * - `start<TAB>end<TAB>asn<TAB>country<TAB>org` (iptoasn.com ip2asn-v4/v6.tsv)
 * - `cidr,asn[,org]` (GeoLite2-ASN CSV blocks and hand-written lists)
 * IPv4 and IPv6 may be mixed; "AS64500" and "64500" are both accepted. Blank lines, `#` comments
 * and a first-line header are skipped. Bad lines and ranges overlapping an earlier-starting range
 * are counted and kept in `errors`; the rest still loads. Throws only when a file cannot be read.
 */
export function loadAsnCsv(paths: string | readonly string[]): AsnTable {
  const list = typeof paths === 'string' ? [paths] : paths;
  return asnTableFromTexts(list.map((file) => ({ source: file, text: readFileSync(file, 'utf8') })));
}

/** loadAsnCsv() for text already in memory; `source` names it in errors. */
export function asnTableFromTexts(texts: readonly { source: string; text: string }[]): AsnTable {
  const builder = new AsnRangeBuilder();
  const errors: AsnLineError[] = [];
  let errorCount = 0;
  let unrouted = 0;
  const fail = (file: string, line: number, raw: string, reason: string): void => {
    errorCount++;
    if (errors.length < MAX_KEPT_ERRORS) errors.push({ file, line, reason, raw: truncateRaw(raw) });
  };
  for (const { source, text } of texts) {
    const r = readLines(source, text, builder, fail);
    unrouted += r.unrouted;
  }
  const { table, conflicts } = builder.build();
  for (const c of conflicts) fail(c.origin.file, c.origin.line, '', c.reason);
  return new LoadedAsnTable(table, unrouted, errors, errorCount);
}

class LoadedAsnTable implements AsnTable {
  constructor(
    private readonly table: AsnRangeTable,
    readonly unrouted: number,
    readonly errors: readonly AsnLineError[],
    readonly errorCount: number,
  ) {}

  get v4Ranges(): number {
    return this.table.v4Ranges;
  }

  get v6Ranges(): number {
    return this.table.v6Ranges;
  }

  asnV4(v4: number): AsnHit | null {
    return this.table.findV4(v4);
  }

  asn(ip: string): AsnHit | null {
    const v4 = parseIpv4Range(ip, 0, ip.length);
    if (v4 >= 0) return this.table.findV4(v4);
    const p = parseIp(ip);
    if (p === null) return null;
    return p.version === 4 ? this.table.findV4(p.v4) : this.table.findV6(p.words);
  }
}

type Fail = (file: string, line: number, raw: string, reason: string) => void;

function readLines(source: string, text: string, builder: AsnRangeBuilder, fail: Fail): { unrouted: number } {
  let unrouted = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const next = end + 1;
    lineNo++;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end === pos || text.charCodeAt(pos) === 35 /* # */) {
      pos = next;
      continue;
    }
    const outcome = readLine(text, pos, end, builder, source, lineNo);
    if (outcome === UNROUTED) unrouted++;
    else if (outcome !== OK && !(lineNo === 1 && isHeader(text, pos, end))) fail(source, lineNo, text.slice(pos, end), outcome);
    pos = next;
  }
  return { unrouted };
}

const OK = '';
const UNROUTED = '\u0000unrouted';

function isHeader(text: string, pos: number, end: number): boolean {
  return /^[A-Za-z_][A-Za-z_ ]*[,\t]/.test(text.slice(pos, Math.min(end, pos + 64)));
}

/** Read one line into the builder; returns OK, UNROUTED or the reason it is bad. */
function readLine(text: string, pos: number, end: number, b: AsnRangeBuilder, file: string, line: number): string {
  const sep = find(text, 9, pos, end) < end ? 9 : 44;
  const sepChar = sep === 9 ? '\t' : ',';
  const f1 = fieldEnd(text, pos, end, sepChar);
  if (f1 === end) return 'expected at least two fields';
  if (find(text, 47 /* / */, pos, f1) < f1) return readCidrLine(text, pos, f1, end, sepChar, b, file, line);
  const f2 = fieldEnd(text, f1 + 1, end, sepChar);
  if (f2 === end) return 'expected start, end and ASN fields';
  const f3 = fieldEnd(text, f2 + 1, end, sepChar);
  const asn = parseAsn(text, f2 + 1, f3);
  if (asn < 0) return `invalid ASN "${text.slice(f2 + 1, f3)}"`;
  let orgStart = f3 + 1;
  if (sep === 9 && f3 < end) orgStart = fieldEnd(text, f3 + 1, end, sepChar) + 1; // skip iptoasn's country column
  const org = orgStart <= end ? readOrg(text, orgStart, end, sepChar) : null;
  if (org === undefined) return 'unterminated quoted organisation';
  const origin = { file, line };
  const s4 = parseIpv4Range(text, pos, f1);
  if (s4 >= 0) {
    const e4 = parseIpv4Range(text, f1 + 1, f2);
    if (e4 < 0) return `invalid IPv4 range end "${text.slice(f1 + 1, f2)}"`;
    if (e4 < s4) return 'range end is below its start';
    if (asn === 0) return UNROUTED;
    b.addV4(s4, e4, asn, org, origin);
    return OK;
  }
  const sg = parseIpv6Groups(text, pos, f1);
  if (sg === null) return `invalid range start "${text.slice(pos, f1)}"`;
  const eg = parseIpv6Groups(text, f1 + 1, f2);
  if (eg === null) return `invalid IPv6 range end "${text.slice(f1 + 1, f2)}"`;
  const sw = toWords(sg);
  const ew = toWords(eg);
  for (let k = 0; k < 4; k++) {
    if (sw[k]! < ew[k]!) break;
    if (sw[k]! > ew[k]!) return 'range end is below its start';
  }
  if (asn === 0) return UNROUTED;
  b.addV6(sw, ew, asn, org, origin);
  return OK;
}

function readCidrLine(text: string, pos: number, f1: number, end: number, sep: string, b: AsnRangeBuilder, file: string, line: number): string {
  const r = parsePrefix(text.slice(pos, f1));
  if (!r.ok) return r.reason;
  const f2 = fieldEnd(text, f1 + 1, end, sep);
  const asn = parseAsn(text, f1 + 1, f2);
  if (asn < 0) return `invalid ASN "${text.slice(f1 + 1, f2)}"`;
  const org = f2 < end ? readOrg(text, f2 + 1, end, sep) : null;
  if (org === undefined) return 'unterminated quoted organisation';
  if (asn === 0) return UNROUTED;
  const p = r.prefix;
  if (p.version === 4) {
    b.addV4(p.v4, (p.v4 | ~maskOf(p.length)) >>> 0, asn, org, { file, line });
  } else {
    const last = p.words.map((w, k) => (w | ~maskOf(p.length - 32 * k)) >>> 0);
    b.addV6(p.words, last, asn, org, { file, line });
  }
  return OK;
}

/** Index of the separator ending the field at `from` (quote-aware), or `end`. */
function fieldEnd(text: string, from: number, end: number, sep: string): number {
  if (text.charCodeAt(from) === 34 /* " */) {
    let i = from + 1;
    for (;;) {
      const q = find(text, 34, i, end);
      if (q >= end) return end;
      if (text.charCodeAt(q + 1) === 34) i = q + 2;
      else return find(text, sep.charCodeAt(0), q, end);
    }
  }
  return find(text, sep.charCodeAt(0), from, end);
}

/** Index of the first `code` in text[from, to), or `to`. Bounded, unlike indexOf, so a line without the character costs only its own length. */
function find(text: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return to;
}

/** The organisation field: unquoted to its end, or quoted with "" escapes; undefined when a quote is unterminated. */
function readOrg(text: string, from: number, end: number, sep: string): string | null | undefined {
  if (text.charCodeAt(from) !== 34) {
    const stop = sep === '\t' ? fieldEnd(text, from, end, sep) : end;
    const org = text.slice(from, stop).trim();
    return org === '' ? null : org;
  }
  let out = '';
  let i = from + 1;
  for (;;) {
    const q = find(text, 34, i, end);
    if (q >= end) return undefined;
    out += text.slice(i, q);
    if (text.charCodeAt(q + 1) === 34) {
      out += '"';
      i = q + 2;
    } else break;
  }
  out = out.trim();
  return out === '' ? null : out;
}

/** Decimal ASN, optionally "AS"-prefixed, 0 ≤ asn < 2³²; -1 when invalid. */
function parseAsn(text: string, from: number, to: number): number {
  let i = from;
  if (to - i > 2 && (text.charCodeAt(i) | 32) === 97 && (text.charCodeAt(i + 1) | 32) === 115) i += 2;
  if (i === to || to - i > 10) return -1;
  let n = 0;
  for (; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n > 0xffffffff ? -1 : n;
}

function toWords(g: readonly number[]): number[] {
  return [(g[0]! * 65536 + g[1]!) >>> 0, (g[2]! * 65536 + g[3]!) >>> 0, (g[4]! * 65536 + g[5]!) >>> 0, (g[6]! * 65536 + g[7]!) >>> 0];
}
