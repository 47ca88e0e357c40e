import type { ParsedIp } from '../../domain/ip.js';

/** The DNS name holding an address's PTR record: "7.2.0.192.in-addr.arpa" or the nibble form under ip6.arpa. */
export function reverseName(ip: ParsedIp): string {
  if (ip.version === 4) {
    const v = ip.v4;
    return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${v >>> 24}.in-addr.arpa`;
  }
  const nibbles: string[] = [];
  for (let k = 3; k >= 0; k--) {
    const w = ip.words[k]!;
    for (let shift = 0; shift < 32; shift += 4) nibbles.push(((w >>> shift) & 15).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa`;
}
