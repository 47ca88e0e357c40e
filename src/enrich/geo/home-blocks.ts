import { intToIpv4, maskOf } from '../../domain/ip.js';
import { countryOfRecord } from './country-of-record.js';
import type { MmdbPrefixReader } from './geo-database.js';

const BLOCK = 65_536;
const TWO_TO_32 = 2 ** 32;

/**
 * The IPv4 /16 blocks (numbered 0–65535, block = first octet × 256 + second octet) that belong
 * to a country.
 *
 * Rule: a /16 block belongs to the country when at least half of its 65,536 addresses
 * (32,768 or more) are mapped to that country by the database. Addresses the database does
 * not know count as not the country's. A block split evenly between two countries belongs to both.
 *
 * It walks the database network by network (one lookup per network, jumping to the next
 * network's first address), not address by address, so it takes about as many lookups as the
 * database has IPv4 networks.
 */
export function homeIpv4Slash16Blocks(reader: MmdbPrefixReader, country: string): Set<number> {
  const want = country.toUpperCase();
  const counts = new Uint32Array(BLOCK);
  const memo = new Map<unknown, boolean>();
  let a = 0;
  while (a < TWO_TO_32) {
    const [record, rawLength] = reader.getWithPrefixLength(intToIpv4(a));
    // A reader never reports more than 32 bits for IPv4; clamp so a broken one cannot loop forever.
    const length = Math.min(32, Math.max(0, rawLength));
    const start = (a & maskOf(length)) >>> 0;
    const end = start + 2 ** (32 - length);
    let match = memo.get(record);
    if (match === undefined) {
      match = record !== null && countryOfRecord(record) === want;
      memo.set(record, match);
    }
    if (match) {
      for (let block = Math.floor(a / BLOCK); block * BLOCK < end; block++) {
        const lo = Math.max(a, block * BLOCK);
        const hi = Math.min(end, (block + 1) * BLOCK);
        counts[block]! += hi - lo;
      }
    }
    a = end > a ? end : a + 1;
  }
  const home = new Set<number>();
  for (let block = 0; block < BLOCK; block++) if (counts[block]! * 2 >= BLOCK) home.add(block);
  return home;
}
