/**
 * FireHOL blocklist-ipsets files (*.ipset: one IP per line, *.netset: IPs and CIDRs), with a
 * comment header such as
 *   # et_botcc
 *   # ipv4 hash:ip ipset
 *   # Source File Date: Mon Jun  1 04:30:01 UTC 2015
 *   # This File Date  : Mon Jun  1 19:09:09 UTC 2015
 *   # Entries         : 505 unique IPs
 * The snapshot date is the Source File Date (when the list was made upstream), the category is
 * the ipset name from the header unless the defaultCategory option says otherwise, and
 * declaredCount is the "Entries" figure (unique IPs for ipsets, subnets for netsets).
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import { plainLine, type PlainLineOptions } from '../plain/plain-reader.js';
import type { FeedReadOptions } from '../read-options.js';
import { parseLines, readLines, type LineParser } from '../run-lines.js';

const factory = (opts: FeedReadOptions) => (): LineParser => {
  let name: string | null = null;
  let o: PlainLineOptions = { domains: false, category: opts.defaultCategory ?? 'listed' };
  return (text, no, b) => {
    if (text.startsWith('#')) {
      const body = text.slice(1).trim();
      const kind = /^ipv[46] hash:(ip|net) ipset$/i.exec(body);
      if (kind) b.setFormat(kind[1]?.toLowerCase() === 'ip' ? 'firehol-ipset' : 'firehol-netset');
      // The ipset name is the first header line that is a lone identifier.
      if (name === null && /^[a-z0-9_]+$/i.test(body)) {
        name = body;
        if (opts.defaultCategory === undefined) o = { ...o, category: name };
      }
      return 'comment';
    }
    return plainLine(text, no, b, o);
  };
};

export function parseFirehol(input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  return parseLines(factory(opts), 'firehol', input, opts);
}

export function readFirehol(path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  return readLines(factory(opts), 'firehol', path, opts);
}
