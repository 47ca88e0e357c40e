/**
 * Feodo Tracker botnet C2 IP blocklists, three layouts:
 *   2020 CSV:  "# Firstseen,DstIP,DstPort,LastOnline,Malware", unquoted (5 columns)
 *   2021 CSV:  a quoted, uncommented header "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware" (6)
 *   JSON:      an array of {ip_address, port, status, hostname, as_number, as_name, country, first_seen, last_online, malware}
 * The layout is told by the first data character ("[" is JSON), then by header, then by count.
 * Every entry is an IP with category 'botnet_cc'; last_online (a date) becomes lastSeen at midnight UTC.
 */
import { open, readFile, stat } from 'node:fs/promises';
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { splitCsvLine } from '../csv-line.js';
import { scanJsonArray } from '../json-array-items.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import { SnapshotBuilder } from '../snapshot-builder.js';
import { canonicalIp, parseAsn, parseFeedTime, parsePort } from '../values.js';
import { columnsOf, field, readHeader, type Columns } from './csv-columns.js';

const COLUMNS_2020 = ['firstseen', 'dstip', 'dstport', 'lastonline', 'malware'];
const COLUMNS_2021 = ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'];

interface FeodoRow {
  readonly ip: string | undefined;
  readonly port: string | undefined;
  readonly first: string | undefined;
  readonly last: string | undefined;
  readonly status: string | undefined;
  readonly malware: string | undefined;
  readonly asn: string | undefined;
}

/** Shared by both CSV layouts and JSON: one row to one entry or one reject. */
function addRow(row: FeodoRow, line: number, raw: string, b: SnapshotBuilder, refRow: string | null): void {
  const ip = canonicalIp(row.ip ?? '');
  if (!ip.ok) return b.reject(line, `bad IP: ${ip.reason}`, raw);
  const port = row.port === undefined ? undefined : parsePort(row.port);
  if (port !== undefined && !port.ok) return b.reject(line, `bad port: ${port.reason}`, raw);
  const first = row.first === undefined ? undefined : parseFeedTime(row.first);
  if (first !== undefined && !first.ok) return b.reject(line, `bad first seen: ${first.reason}`, raw);
  const last = row.last === undefined ? undefined : parseFeedTime(row.last);
  if (last !== undefined && !last.ok) return b.reject(line, `bad last online: ${last.reason}`, raw);
  const asn = row.asn === undefined ? undefined : parseAsn(row.asn);
  if (asn !== undefined && !asn.ok) return b.reject(line, `bad as_number: ${asn.reason}`, raw);
  b.entry({
    kind: 'ip',
    value: ip.value,
    ip: ip.value,
    ...(port?.ok ? { port: port.value } : {}),
    ...(asn?.ok ? { asn: asn.value } : {}),
    category: 'botnet_cc',
    ...(row.malware !== undefined ? { malware: row.malware } : {}),
    ...(first?.ok ? { firstSeen: first.value } : {}),
    ...(last?.ok ? { lastSeen: last.value } : {}),
    ...(row.status !== undefined ? { status: row.status } : {}),
    ref: { file: b.source, line: refRow === null ? line : null, row: refRow },
  });
}

function createFeodoCsvParser(): LineParser {
  let cols: Columns | null = null;
  return (text, no, b) => {
    const header = readHeader(text, 'dstip') ?? readHeader(text, 'dst_ip');
    if (header !== null) {
      cols = header;
      b.setFormat(header.has('dst_ip') ? 'feodo-csv-2021' : 'feodo-csv-2020');
      return 'comment';
    }
    if (text.startsWith('#')) return 'comment';
    const split = splitCsvLine(text);
    if (!split.ok) {
      b.reject(no, `bad CSV: ${split.reason}`, text);
      return 'data';
    }
    const f = split.fields;
    if (cols === null) {
      cols = f.length === 5 ? columnsOf(COLUMNS_2020) : f.length === 6 ? columnsOf(COLUMNS_2021) : null;
      if (cols === null) {
        b.reject(no, `no column header and ${f.length} columns: neither the 2020 (5) nor the 2021 (6) layout`, text);
        return 'data';
      }
      b.setFormat(cols.size === 5 ? 'feodo-csv-2020' : 'feodo-csv-2021');
    }
    if (f.length !== cols.size) {
      b.reject(no, `expected ${cols.size} columns (${b.getFormat()}), got ${f.length}`, text);
      return 'data';
    }
    addRow(
      {
        ip: field(f, cols, 'dst_ip', 'dstip'),
        port: field(f, cols, 'dst_port', 'dstport'),
        first: field(f, cols, 'first_seen_utc', 'firstseen'),
        last: field(f, cols, 'last_online', 'lastonline'),
        status: field(f, cols, 'c2_status'),
        malware: field(f, cols, 'malware'),
        asn: undefined,
      },
      no,
      text,
      b,
      null,
    );
    return 'data';
  };
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

function parseFeodoJson(text: string, b: SnapshotBuilder, lossy: boolean): void {
  const scan = scanJsonArray(text);
  b.setFormat('feodo-json');
  // The physical lines are all part of the document; items are what the invariants count.
  for (let i = 0; i < scan.blankLines; i++) b.blankLine();
  for (let i = 0; i < scan.lines - scan.blankLines; i++) b.dataLine();
  if (scan.error !== undefined) b.warn(scan.error);
  for (const item of scan.items) {
    if (item.error !== undefined) {
      b.reject(item.line, item.error, item.raw);
      continue;
    }
    if (lossy && item.raw.includes('\uFFFD')) {
      b.reject(item.line, 'not valid UTF-8', item.raw);
      continue;
    }
    const o = item.value;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      b.reject(item.line, 'array item is not a JSON object', item.raw);
      continue;
    }
    const r = o as Record<string, unknown>;
    if (r.port !== undefined && r.port !== null && typeof r.port !== 'number' && typeof r.port !== 'string') {
      b.reject(item.line, `bad port: wrong type ${typeof r.port}`, item.raw);
      continue;
    }
    addRow(
      {
        ip: typeof r.ip_address === 'string' ? r.ip_address : undefined,
        port: str(r.port),
        first: str(r.first_seen),
        last: str(r.last_online),
        status: str(r.status),
        malware: str(r.malware),
        asn: str(r.as_number),
      },
      item.line,
      item.raw,
      b,
      `item:${item.index}`,
    );
  }
}

function looksLikeJson(text: string): boolean {
  return /^\s*\[/.test(text);
}

function decode(input: Uint8Array): { text: string; lossy: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input), lossy: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(input), lossy: true };
  }
}

/** Parses Feodo Tracker text in any of the three layouts. */
export function parseFeodo(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  const head = typeof input === 'string' ? input.slice(0, 256) : new TextDecoder().decode(input.subarray(0, 256));
  if (!looksLikeJson(head)) return parseLines(createFeodoCsvParser, 'feodo-csv', input, opts);
  const { text, lossy } = typeof input === 'string' ? { text: input, lossy: false } : decode(input);
  const b = new SnapshotBuilder(opts.source ?? '<text>', 'feodo-json', opts);
  parseFeodoJson(text, b, lossy);
  return b.finish(null);
}

/** Reads a Feodo Tracker file: CSV layouts are streamed, the (small) JSON layout is read whole. */
export async function readFeodo(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  const fh = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, 256, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
  if (!looksLikeJson(head)) return readLines(createFeodoCsvParser, 'feodo-csv', path, opts);
  const [bytes, st] = await Promise.all([readFile(path), stat(path)]);
  const { text, lossy } = decode(bytes);
  const b = new SnapshotBuilder(opts.source ?? path, 'feodo-json', opts);
  parseFeodoJson(text, b, lossy);
  return b.finish(st.mtime);
}
