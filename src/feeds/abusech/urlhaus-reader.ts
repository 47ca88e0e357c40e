/**
 * URLhaus CSV dumps. Layouts by header:
 *   csv_recent / csv_online (9): id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
 *   older dumps (8):             id,dateadded,url,url_status,threat,tags,urlhaus_link,reporter
 *   per-TLD feed (8):            Dateadded (UTC),URL,URL_status,Threat,Host,IPaddress,ASnumber,Country
 * Without a header only the 9-column layout is assumed. Entries are URLs (deduplicated as
 * listed) carrying their host as domain or ip; category is the threat column ('malware_download').
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { splitCsvLine } from '../csv-line.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';
import { canonicalIp, parseAsn, parseFeedTime, urlHost } from '../values.js';
import { columnsOf, field, readHeader, type Columns } from './csv-columns.js';

const RECENT = ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'];

function layoutName(cols: Columns): string {
  if (cols.has('host')) return 'urlhaus-tld-csv';
  return cols.has('last_online') ? 'urlhaus-csv-9' : 'urlhaus-csv-8';
}

function createUrlhausParser(): LineParser {
  let cols: Columns | null = null;
  return (text, no, b) => {
    if (text.startsWith('#')) {
      const h = readHeader(text, 'url');
      if (h !== null) {
        cols = h;
        b.setFormat(layoutName(h));
      }
      return 'comment';
    }
    const split = splitCsvLine(text);
    if (!split.ok) {
      b.reject(no, `bad CSV: ${split.reason}`, text);
      return 'data';
    }
    const f = split.fields;
    if (cols === null) {
      if (f.length !== RECENT.length) {
        b.reject(no, `no column header and ${f.length} columns; only the 9-column csv_recent layout is known without one`, text);
        return 'data';
      }
      cols = columnsOf(RECENT);
      b.setFormat('urlhaus-csv-9');
    }
    if (f.length !== cols.size) {
      b.reject(no, `expected ${cols.size} columns as in the header, got ${f.length}`, text);
      return 'data';
    }
    const url = field(f, cols, 'url');
    if (url === undefined) {
      b.reject(no, 'empty url column', text);
      return 'data';
    }
    const host = urlHost(url);
    if (!host.ok) {
      b.reject(no, host.reason, text);
      return 'data';
    }
    const added = parseFeedTime(field(f, cols, 'dateadded') ?? '');
    if (!added.ok) {
      b.reject(no, `bad dateadded column: ${added.reason}`, text);
      return 'data';
    }
    const lastText = field(f, cols, 'last_online');
    const last = lastText === undefined ? undefined : parseFeedTime(lastText);
    if (last !== undefined && !last.ok) {
      b.reject(no, `bad last_online column: ${last.reason}`, text);
      return 'data';
    }
    let ip = host.value.isIp ? host.value.host : undefined;
    const ipText = field(f, cols, 'ipaddress');
    if (ip === undefined && ipText !== undefined) {
      const p = canonicalIp(ipText);
      if (!p.ok) {
        b.reject(no, `bad ipaddress column: ${p.reason}`, text);
        return 'data';
      }
      ip = p.value;
    }
    const asnText = field(f, cols, 'asnumber');
    const asn = asnText === undefined ? undefined : parseAsn(asnText);
    if (asn !== undefined && !asn.ok) {
      b.reject(no, `bad asnumber column: ${asn.reason}`, text);
      return 'data';
    }
    const status = field(f, cols, 'url_status');
    const tags = field(f, cols, 'tags');
    b.entry({
      kind: 'url',
      value: url,
      url,
      ...(host.value.isIp ? {} : { domain: host.value.host }),
      ...(ip !== undefined ? { ip } : {}),
      ...(host.value.port !== undefined ? { port: host.value.port } : {}),
      ...(asn?.ok ? { asn: asn.value } : {}),
      category: field(f, cols, 'threat') ?? 'malware_download',
      firstSeen: added.value,
      ...(last?.ok ? { lastSeen: last.value } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(tags !== undefined ? { description: tags } : {}),
      ref: { file: b.source, line: no, row: null },
    });
    return 'data';
  };
}

export function parseUrlhaus(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(createUrlhausParser, 'urlhaus-csv', input, opts);
}

export function readUrlhaus(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(createUrlhausParser, 'urlhaus-csv', path, opts);
}
