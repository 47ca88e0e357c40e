/**
 * Address maps for laboratory runs. In a test world the DNS servers listen on loopback but stand
 * for documentation addresses, and the IRC servers behind C&C addresses listen on loopback too.
 * A map file says which is which, one "from to" pair a line, "#" comments:
 *
 *   127.0.1.5   198.51.100.53        (DNS: listener  data address)
 *   192.0.2.10  127.0.2.4:6667       (IRC: C&C address  probe target)
 *
 * Bad lines are returned as rejects, never thrown.
 */
import { canonicalIp } from '../../domain/ip.js';
import type { StudyRejectRecord } from '../../storage/repositories/traceback-studies.js';

export interface AddressMap {
  readonly map: Map<string, string>;
  readonly rejects: StudyRejectRecord[];
}

/** "from to" pairs of IPs (to may carry ":port" when `allowPort`). */
export function parseAddressMap(text: string, source: string, allowPort = false): AddressMap {
  const map = new Map<string, string>();
  const rejects: StudyRejectRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const reject = (reason: string): void => {
      rejects.push({ source, line: i + 1, reason, raw: raw.slice(0, 200) });
    };
    const parts = line.split(/[\s,]+/);
    if (parts.length !== 2) return reject('expected two fields: from-address to-address');
    const from = canonicalIp(parts[0] as string);
    if (from === null) return reject(`not an IP address: ${JSON.stringify((parts[0] as string).slice(0, 60))}`);
    const to = parts[1] as string;
    const m = /^(.*?)(?::(\d{1,5}))?$/.exec(to);
    const host = allowPort && m !== null && !to.includes('::') ? (m[1] as string) : to;
    const port = allowPort && m?.[2] !== undefined && !to.includes('::') ? Number(m[2]) : null;
    const toIp = canonicalIp(host);
    if (toIp === null) return reject(`not an IP address: ${JSON.stringify(to.slice(0, 60))}`);
    if (port !== null && (port < 1 || port > 65535)) return reject(`bad port ${port}`);
    map.set(from, port === null ? toIp : `${toIp}:${port}`);
  });
  return { map, rejects };
}
