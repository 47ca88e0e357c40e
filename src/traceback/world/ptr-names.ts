/**
 * Reverse-DNS names in the shapes real networks use. Dynamic (end-user) names follow access
 * providers' schemes that S25R was written against; hosting names are what data centres give
 * servers. Each name lives in a forward zone of the world so that its A record can be checked.
 */
import type { Rng } from './prng.js';

/** Forward zones that hold the PTR names' A records; each is a real zone of the world. */
export const PTR_FORWARD_ZONES = [
  'ocn.ne.jp.example',
  'isp.test',
  'telecom.example',
  'examplecom.test',
  'uni.test',
  'broadband.example',
  'hoster.example',
  'dc.example',
  'cloud.test',
  'home.example',
] as const;

const CITIES = ['tokyo', 'osaka', 'nagoya', 'sapporo', 'fukuoka'] as const;

/** A dynamic name for address `ip`; `n` keeps names unique. Every shape is caught by an S25R rule. */
export function dynamicName(rng: Rng, ip: string, n: number): string {
  const [a, b, c, d] = ip.split('.');
  switch (rng.int(0, 6)) {
    case 0: {
      const city = rng.pick(CITIES);
      return `p${1000 + n}-ipbf${rng.int(10, 99)}${city}.${city}.ocn.ne.jp.example`; // rule 1
    }
    case 1:
      return `host-${a}-${b}-${c}-${d}.dyn.isp.test`; // rule 1
    case 2:
      return `dsl-${a}-${b}-${c}-${d}.pool.telecom.example`; // rules 1, 6
    case 3:
      return `cpe-${a}-${b}-${c}-${d}.cable.examplecom.test`; // rule 1
    case 4:
      return `dhcp${1000 + n}.resnet.uni.test`; // rule 6
    case 5:
      return `ppp${10000 + n}.dialup.isp.test`; // rules 2, 6
    default:
      return `${d}.${c}.${b}.${a}.broadband.example`; // rule 3
  }
}

/** A server name at a hoster or data centre; no S25R rule fires on it. */
export function hostingName(rng: Rng, n: number): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `srv${n}.dc.example`;
    case 1:
      return `web${n}.cloud.test`;
    case 2:
      return `mail${n}.hoster.example`;
    default:
      return `ns${n}.hoster.example`;
  }
}

/** A hosting name that embeds the address, as many VPS providers do: S25R fires (a false positive). */
export function hostingIpName(rng: Rng, ip: string): string {
  const dashed = ip.replaceAll('.', '-');
  return rng.chance(0.5) ? `vps-${dashed}.cloud.test` : `static-${dashed}.dc.example`;
}

/** A home line that its owner named by hand; S25R does not fire (a false negative). */
export function quietHomeName(rng: Rng, n: number): string {
  return `${rng.pick(['router', 'gateway', 'nas', 'homeserver'])}.family${n}.home.example`;
}
