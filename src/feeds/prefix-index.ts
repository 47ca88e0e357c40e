/**
 * IP prefixes with payloads, looked up by address: one hash map per prefix length and family.
 * A lookup tries each prefix length that occurs (at most 33 for IPv4, 129 for IPv6), which is
 * fast enough for blocklists of any real size and needs no tree balancing.
 */
import { bigIntToIp, canonicalAddress, ipToBigInt } from './values.js';

interface Family {
  readonly bits: number;
  /** prefix length -> network (as bigint, host bits cleared) -> payloads */
  readonly byLength: Map<number, Map<bigint, unknown[]>>;
  lengths: number[];
}

export interface PrefixHit<T> {
  readonly prefix: string;
  readonly payload: T;
}

export class PrefixIndex<T> {
  private readonly v4: Family = { bits: 32, byLength: new Map(), lengths: [] };
  private readonly v6: Family = { bits: 128, byLength: new Map(), lengths: [] };

  /** Adds an IP or CIDR (any spelling). Returns false when the text is neither. */
  add(ipOrCidr: string, payload: T): boolean {
    const c = canonicalAddress(ipOrCidr);
    if (!c.ok) return false;
    const [ip, lenText] = c.value.value.split('/') as [string, string | undefined];
    const fam = ip.includes(':') ? this.v6 : this.v4;
    const len = lenText === undefined ? fam.bits : Number(lenText);
    let m = fam.byLength.get(len);
    if (!m) {
      m = new Map();
      fam.byLength.set(len, m);
      fam.lengths = [...fam.byLength.keys()].sort((a, b) => b - a);
    }
    const net = ipToBigInt(ip);
    const list = m.get(net);
    if (list) list.push(payload);
    else m.set(net, [payload]);
    return true;
  }

  /** Every prefix containing the address (canonical or not), most specific first. Invalid input: none. */
  lookup(ip: string, maxLength?: number): PrefixHit<T>[] {
    const c = canonicalAddress(ip);
    if (!c.ok || c.value.kind !== 'ip') return [];
    return this.lookupBits(c.value.value, maxLength);
  }

  /**
   * Every indexed prefix that contains the given IP or CIDR (a CIDR is contained by itself and by
   * any shorter prefix that covers it).
   */
  covering(ipOrCidr: string): PrefixHit<T>[] {
    const c = canonicalAddress(ipOrCidr);
    if (!c.ok) return [];
    const [ip, lenText] = c.value.value.split('/') as [string, string | undefined];
    return this.lookupBits(ip, lenText === undefined ? undefined : Number(lenText));
  }

  private lookupBits(ip: string, maxLength?: number): PrefixHit<T>[] {
    const fam = ip.includes(':') ? this.v6 : this.v4;
    const addr = ipToBigInt(ip);
    const hits: PrefixHit<T>[] = [];
    for (const len of fam.lengths) {
      if (maxLength !== undefined && len > maxLength) continue;
      const shift = BigInt(fam.bits - len);
      const net = len === 0 ? 0n : (addr >> shift) << shift;
      const list = fam.byLength.get(len)?.get(net);
      if (!list) continue;
      const prefix = len === fam.bits ? ip : `${bigIntToIp(net, fam.bits === 128)}/${len}`;
      for (const payload of list) hits.push({ prefix, payload: payload as T });
    }
    return hits;
  }
}
