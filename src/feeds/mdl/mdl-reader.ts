/**
 * Malware Domain List CSV (the list the traceback paper took its C&C domains from; MDL stopped
 * updating in 2021). No header row, every field double-quoted, "-" for empty.
 *   updatescsv.php (7): date, url, ip, reverse, description, registrant, asn
 *   mdlcsv.php     (9): date, domain, ip, reverse, description, registrant, asn, inactive, country
 * The layout is chosen per line by its column count. When the url column is "-", the ip column
 * may carry the path ("192.0.2.1/x.exe"): the entry is then the IP.
 * Entries are domains (or IPs when the listed host is an IP); category 'malware'; MDL's
 * description (e.g. "ZeuS v2 drop zone") is what a category pattern is usually tested against.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { splitCsvLine } from '../csv-line.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import { canonicalIp, parseAsn, parseFeedTime, urlHost } from '../values.js';

const LAYOUTS: Record<number, string> = { 7: 'mdl-updatescsv-7', 9: 'mdl-export-9' };

const empty = (s: string | undefined): boolean => s === undefined || s.trim() === '' || s.trim() === '-';

function createMdlParser(): LineParser {
  let layout: string | null = null;
  return (text, no, b) => {
    if (text.startsWith('#')) return 'comment';
    const split = splitCsvLine(text);
    if (!split.ok) {
      b.reject(no, `bad CSV: ${split.reason}`, text);
      return 'data';
    }
    const f = split.fields;
    const name = LAYOUTS[f.length];
    if (name === undefined) {
      b.reject(no, `expected 7 (updatescsv) or 9 (export) columns, got ${f.length}`, text);
      return 'data';
    }
    if (layout === null) {
      layout = name;
      b.setFormat(name);
    } else if (layout !== name && b.getFormat() !== 'mdl-mixed') {
      b.warn(`line ${no}: ${name} line in a ${layout} file`);
      b.setFormat('mdl-mixed');
    }
    const [dateText = '', urlText = '', ipText = '', , description = '', , asnText = ''] = f;
    const time = parseFeedTime(dateText.replace('_', ' '));
    if (!time.ok) {
      b.reject(no, `bad date column: ${time.reason}`, text);
      return 'data';
    }
    let asn: number | undefined;
    if (!empty(asnText)) {
      const a = parseAsn(asnText);
      if (!a.ok) {
        b.reject(no, `bad asn column: ${a.reason}`, text);
        return 'data';
      }
      asn = a.value;
    }
    // Without a url, the ip column holds "ip" or "ip/path": that is the listed thing.
    const listed = empty(urlText) ? ipText.trim() : urlText.trim();
    if (listed === '' || listed === '-') {
      b.reject(no, 'neither url nor ip column is set', text);
      return 'data';
    }
    const host = urlHost(listed);
    if (!host.ok) {
      b.reject(no, host.reason, text);
      return 'data';
    }
    let ip: string | undefined;
    const ipOnly = ipText.trim().split('/')[0] ?? '';
    if (!empty(ipOnly)) {
      const p = canonicalIp(ipOnly);
      if (!p.ok) {
        b.reject(no, `bad ip column: ${p.reason}`, text);
        return 'data';
      }
      ip = p.value;
    }
    const inactive = f.length === 9 ? f[7]?.trim() : undefined;
    b.entry({
      kind: host.value.isIp ? 'ip' : 'domain',
      value: host.value.host,
      ...(host.value.isIp ? { ip: host.value.host } : { domain: host.value.host, ...(ip !== undefined ? { ip } : {}) }),
      ...(host.value.port !== undefined ? { port: host.value.port } : {}),
      ...(asn !== undefined ? { asn } : {}),
      ...(listed.includes('/') || !host.value.isIp ? { url: listed } : {}),
      category: 'malware',
      firstSeen: time.value,
      ...(!empty(description) ? { description: description.trim() } : {}),
      ...(inactive !== undefined && inactive !== '' ? { status: inactive === '1' ? 'inactive' : 'active' } : {}),
      ref: { file: b.source, line: no, row: null },
    });
    return 'data';
  };
}

/** Parses MDL CSV text (either layout). */
export function parseMdl(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(createMdlParser, 'mdl', input, opts);
}

/** Streams an MDL CSV file (either layout). */
export function readMdl(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(createMdlParser, 'mdl', path, opts);
}
