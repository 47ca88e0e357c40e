/**
 * ThreatFox CSV exports: every field quoted, ", " between fields, header in a comment line.
 *   15 columns: first_seen_utc, ioc_id, ioc_value, ioc_type, threat_type, fk_malware,
 *               malware_alias, malware_printable, last_seen_utc, confidence_level,
 *               is_compromised, reference, tags, anonymous, reporter
 *   14 columns: the same without is_compromised (exports before it was added)
 * IOC types 'ip:port', 'domain' and 'url' become entries; hash IOCs are counted under
 * filteredBy['ioc_type:<type>']. Category is threat_type ('botnet_cc', 'payload_delivery').
 * Entries deduplicate by IP/domain/URL, so an IP listed on two ports keeps the first port.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { splitCsvLine } from '../csv-line.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import { canonicalAddress, canonicalDomain, canonicalIp, parsePort, parseFeedTime, urlHost, type Parsed } from '../values.js';
import { columnsOf, field, readHeader, type Columns } from './csv-columns.js';

const COLUMNS_15 = [
  'first_seen_utc', 'ioc_id', 'ioc_value', 'ioc_type', 'threat_type', 'fk_malware', 'malware_alias', 'malware_printable',
  'last_seen_utc', 'confidence_level', 'is_compromised', 'reference', 'tags', 'anonymous', 'reporter',
];
const COLUMNS_14 = COLUMNS_15.filter((c) => c !== 'is_compromised');

interface Ioc {
  readonly kind: 'ip' | 'domain' | 'url';
  readonly value: string;
  readonly ip?: string;
  readonly domain?: string;
  readonly port?: number;
  readonly url?: string;
}

function parseIoc(type: string, value: string): Parsed<Ioc> | null {
  switch (type) {
    case 'ip:port': {
      // IPv6 IOCs are written "[2001:db8::1]:443" or bare with the port after the last colon.
      const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
      const ip = canonicalIp(m?.[1] ?? value);
      if (!ip.ok) return ip;
      const port = m?.[2] === undefined ? undefined : parsePort(m[2]);
      if (port !== undefined && !port.ok) return port;
      return { ok: true, value: { kind: 'ip', value: ip.value, ip: ip.value, ...(port?.ok ? { port: port.value } : {}) } };
    }
    case 'ip': {
      const a = canonicalAddress(value);
      if (!a.ok || a.value.kind !== 'ip') return { ok: false, reason: `not an IP address: ${JSON.stringify(value)}` };
      return { ok: true, value: { kind: 'ip', value: a.value.value, ip: a.value.value } };
    }
    case 'domain': {
      const d = canonicalDomain(value);
      return d.ok ? { ok: true, value: { kind: 'domain', value: d.value, domain: d.value } } : d;
    }
    case 'url': {
      const h = urlHost(value);
      if (!h.ok) return h;
      const host = h.value.isIp ? { ip: h.value.host } : { domain: h.value.host };
      return { ok: true, value: { kind: 'url', value, url: value, ...host, ...(h.value.port !== undefined ? { port: h.value.port } : {}) } };
    }
    default:
      return null;
  }
}

function createThreatfoxParser(): LineParser {
  let cols: Columns | null = null;
  let fromHeader = false;
  return (text, no, b) => {
    if (text.startsWith('#')) {
      const h = readHeader(text, 'ioc_value');
      if (h !== null) {
        cols = h;
        fromHeader = true;
        b.setFormat(`threatfox-csv-${h.size}`);
      }
      return 'comment';
    }
    const split = splitCsvLine(text);
    if (!split.ok) {
      b.reject(no, `bad CSV: ${split.reason}`, text);
      return 'data';
    }
    const f = split.fields;
    if (!fromHeader) {
      // No header: the count tells the layout, line by line.
      cols = f.length === 15 ? columnsOf(COLUMNS_15) : f.length === 14 ? columnsOf(COLUMNS_14) : null;
      if (cols === null) {
        b.reject(no, `expected 14 or 15 columns, got ${f.length}`, text);
        return 'data';
      }
      if (b.getFormat() === 'threatfox-csv') b.setFormat(`threatfox-csv-${f.length}`);
    }
    if (cols === null) return 'data';
    if (f.length !== cols.size) {
      b.reject(no, `expected ${cols.size} columns as in the header, got ${f.length}`, text);
      return 'data';
    }
    const type = field(f, cols, 'ioc_type') ?? '';
    const value = field(f, cols, 'ioc_value') ?? '';
    const ioc = parseIoc(type, value);
    if (ioc === null) {
      if (type === '') b.reject(no, 'empty ioc_type column', text);
      else b.skip(`ioc_type:${type}`);
      return 'data';
    }
    if (!ioc.ok) {
      b.reject(no, `bad ioc_value for type ${type}: ${ioc.reason}`, text);
      return 'data';
    }
    const first = parseFeedTime(field(f, cols, 'first_seen_utc') ?? '');
    if (!first.ok) {
      b.reject(no, `bad first_seen_utc column: ${first.reason}`, text);
      return 'data';
    }
    const lastText = field(f, cols, 'last_seen_utc');
    const last = lastText === undefined ? undefined : parseFeedTime(lastText);
    if (last !== undefined && !last.ok) {
      b.reject(no, `bad last_seen_utc column: ${last.reason}`, text);
      return 'data';
    }
    const malware = field(f, cols, 'malware_printable') ?? field(f, cols, 'fk_malware');
    const tags = field(f, cols, 'tags');
    b.entry({
      ...ioc.value,
      category: field(f, cols, 'threat_type') ?? 'unknown',
      ...(malware !== undefined ? { malware } : {}),
      firstSeen: first.value,
      ...(last?.ok ? { lastSeen: last.value } : {}),
      ...(tags !== undefined ? { description: tags } : {}),
      ref: { file: b.source, line: no, row: null },
    });
    return 'data';
  };
}

export function parseThreatfox(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(createThreatfoxParser, 'threatfox-csv', input, opts);
}

export function readThreatfox(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(createThreatfoxParser, 'threatfox-csv', path, opts);
}
