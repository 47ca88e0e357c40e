/**
 * Spamhaus DROP, EDROP, DROPv6 and ASN-DROP, in both publications:
 *   text: "1.4.0.0/17 ; SBL256893" / "AS260 ; AE | XCONNECT24 - …", header lines start with ";"
 *   JSON lines: {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"} /
 *               {"asn":2601,"rir":"ripencc","domain":"…","cc":"UA","asname":"…"},
 *               closed by {"type":"metadata","timestamp":<epoch s>,"records":<n>,…}
 * Which list it is follows from the entries: CIDRs make 'spamhaus-drop-*' (category 'drop'),
 * AS numbers 'spamhaus-asndrop-*' (category 'asn-drop'). The JSON metadata timestamp is the
 * snapshot time; in text files the "Last-Modified" header is.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import type { SnapshotBuilder } from '../snapshot-builder.js';
import { canonicalAddress, parseAsn } from '../values.js';

type Shape = 'text' | 'json';

function setFormat(b: SnapshotBuilder, list: 'drop' | 'asndrop', shape: Shape): void {
  const f = b.getFormat();
  const want = `spamhaus-${list}-${shape}`;
  if (f === 'spamhaus') b.setFormat(want);
  else if (f !== want && f !== 'spamhaus-mixed') {
    b.warn(`mixed Spamhaus layouts: ${f} and ${want}`);
    b.setFormat('spamhaus-mixed');
  }
}

function addCidr(text: string, value: string, sbl: string | undefined, no: number, b: SnapshotBuilder, shape: Shape): void {
  const a = canonicalAddress(value);
  if (!a.ok) return b.reject(no, a.reason, text);
  setFormat(b, 'drop', shape);
  b.entry({
    kind: a.value.kind,
    value: a.value.value,
    ...(a.value.kind === 'ip' ? { ip: a.value.value } : {}),
    category: 'drop',
    ...(sbl !== undefined && sbl !== '' ? { description: sbl } : {}),
    ref: { file: b.source, line: no, row: null },
  });
}

function addAsn(text: string, value: string, name: string | undefined, no: number, b: SnapshotBuilder, shape: Shape): void {
  const n = parseAsn(value);
  if (!n.ok) return b.reject(no, n.reason, text);
  setFormat(b, 'asndrop', shape);
  b.entry({
    kind: 'asn',
    value: `AS${n.value}`,
    asn: n.value,
    category: 'asn-drop',
    ...(name !== undefined && name !== '' ? { description: name } : {}),
    ref: { file: b.source, line: no, row: null },
  });
}

function jsonLine(text: string, no: number, b: SnapshotBuilder): 'comment' | 'data' {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    b.reject(no, `invalid JSON: ${(e as Error).message}`, text);
    return 'data';
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    b.reject(no, 'JSON line is not an object', text);
    return 'data';
  }
  const r = o as Record<string, unknown>;
  if (r.type === 'metadata') {
    if (typeof r.timestamp === 'number' && Number.isFinite(r.timestamp)) {
      const d = new Date(r.timestamp * 1000);
      if (Number.isFinite(d.getTime())) b.setHeaderTime(d.toISOString(), 'metadata timestamp', 0);
    }
    if (typeof r.records === 'number') b.setDeclaredCount(r.records);
    return 'comment';
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  if (typeof r.cidr === 'string') {
    addCidr(text, r.cidr, str(r.sblid), no, b, 'json');
  } else if (typeof r.asn === 'number' || typeof r.asn === 'string') {
    const label = [str(r.cc), str(r.asname)].filter((x) => x !== undefined && x !== '').join(' | ');
    addAsn(text, String(r.asn), label, no, b, 'json');
  } else {
    b.reject(no, 'JSON object has neither "cidr" nor "asn" (nor type "metadata")', text);
  }
  return 'data';
}

function createSpamhausParser(): LineParser {
  return (text, no, b) => {
    const t = text.trim();
    if (t.startsWith(';')) return 'comment';
    if (t.startsWith('{') || t.startsWith('[')) return jsonLine(t, no, b);
    const semi = t.indexOf(';');
    const value = (semi < 0 ? t : t.slice(0, semi)).trim();
    const rest = semi < 0 ? undefined : t.slice(semi + 1).trim();
    if (/^AS/i.test(value)) addAsn(text, value, rest, no, b, 'text');
    else addCidr(text, value, rest, no, b, 'text');
    return 'data';
  };
}

export function parseSpamhaus(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(createSpamhausParser, 'spamhaus', input, opts);
}

export function readSpamhaus(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(createSpamhausParser, 'spamhaus', path, opts);
}
