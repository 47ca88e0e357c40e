/**
 * Where the world's documentation addresses come from, and which country each block belongs to.
 * The last /26 of 203.0.113.0/24 is a "bulletproof" hosting block: only unmanaged hosts live
 * there, so that a DROP-style CIDR listing it lists nobody else.
 */
import type { Rng } from './prng.js';

export interface CountryBlock {
  readonly prefix: string;
  readonly country: string;
  /** First three octets and the host range, for IPv4 blocks. */
  readonly base?: string;
  readonly from?: number;
  readonly to?: number;
}

export const BULLETPROOF_PREFIX = '203.0.113.192/26';

export const COUNTRY_BLOCKS: readonly CountryBlock[] = [
  { prefix: '192.0.2.0/25', country: 'JP', base: '192.0.2', from: 1, to: 127 },
  { prefix: '192.0.2.128/25', country: 'US', base: '192.0.2', from: 128, to: 254 },
  { prefix: '198.51.100.0/25', country: 'CN', base: '198.51.100', from: 1, to: 127 },
  { prefix: '198.51.100.128/25', country: 'DE', base: '198.51.100', from: 128, to: 254 },
  { prefix: '203.0.113.0/25', country: 'KR', base: '203.0.113', from: 1, to: 127 },
  { prefix: '203.0.113.128/26', country: 'US', base: '203.0.113', from: 128, to: 191 },
  { prefix: BULLETPROOF_PREFIX, country: 'RU', base: '203.0.113', from: 192, to: 254 },
  { prefix: '233.252.0.0/24', country: 'NL', base: '233.252.0', from: 1, to: 254 },
  // No IPv6 host in the world: the resolver asks for A records only. The block is in the country
  // database so that an IPv6 look-up has something to find.
  { prefix: '2001:db8::/32', country: 'FR' },
];

export function countryOf(ip: string): string {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  const base = `${a}.${b}.${c}`;
  const block = COUNTRY_BLOCKS.find((x) => x.base === base && d >= (x.from ?? 0) && d <= (x.to ?? -1));
  if (block === undefined) throw new RangeError(`no country block holds ${ip}`);
  return block.country;
}

export interface AddressPool {
  /** A fresh general-purpose address (never in the bulletproof block). */
  take(): string;
  /** A fresh address in the bulletproof block, or a general one when the block is full. */
  takeBulletproof(): string;
  readonly used: number;
}

export function createAddressPool(rng: Rng): AddressPool {
  const general: string[] = [];
  const bulletproof: string[] = [];
  for (const b of COUNTRY_BLOCKS) {
    if (b.base === undefined) continue;
    for (let d = b.from ?? 0; d <= (b.to ?? -1); d++) (b.prefix === BULLETPROOF_PREFIX ? bulletproof : general).push(`${b.base}.${d}`);
  }
  const g = rng.shuffle(general);
  const bp = rng.shuffle(bulletproof);
  let used = 0;
  const take = (): string => {
    const ip = g.pop();
    if (ip === undefined) throw new RangeError('the world ran out of documentation addresses; ask for fewer names');
    used++;
    return ip;
  };
  return {
    take,
    takeBulletproof: () => {
      const ip = bp.pop();
      if (ip === undefined) return take();
      used++;
      return ip;
    },
    get used() {
      return used;
    },
  };
}

/** Is the address inside the bulletproof block? */
export function inBulletproof(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  return parts[0] === 203 && parts[1] === 0 && parts[2] === 113 && (parts[3] ?? 0) >= 192;
}

/** Orders dotted-quad IPv4 addresses numerically. */
export function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
