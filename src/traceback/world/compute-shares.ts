/**
 * The world's true shares, in the study's terms: the populations the study measures (C&C
 * addresses, the DNS servers that answered, the control set) and the share of each class in them,
 * overall and by country.
 */
import { compareIp } from './address-plan.js';
import type { NameTruth, TruthShare, WorldHost, WorldTruth } from './types.js';

type TruthBase = Omit<WorldTruth, 'ccIps' | 'dnsIps' | 'controlIps' | 'sinkholeIps' | 'shares'>;

const distinct = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(compareIp);

/** What each share key means; keys with "@CC" are the same share within one country. */
export const SHARE_DEFINITIONS: Readonly<Record<string, string>> = {
  'cc.endUser': 'C&C addresses (first A record of each resolvable name, sinkholes left out) on end-user lines',
  'cc.unmanaged': 'C&C addresses run by nobody who cleans up (bulletproof or unmanaged hosting)',
  'cc.professional': 'C&C addresses at professionally administered hosts',
  'cc.s25r': 'C&C addresses on which S25R (rules 0–6) fires',
  'cc.blocklisted': 'C&C addresses listed by at least one current blocklist',
  'cc.openIrc': 'C&C addresses whose IRC server accepts a client without a password (001)',
  'cc.lifetimeUnder7': 'C&C addresses that are not on end-user lines and were listed for under 7 days',
  'dns.endUser': 'addresses of the DNS servers that answered the C&C names, on end-user lines',
  'dns.unmanaged': 'those DNS servers that are unmanaged or bulletproof',
  'dns.professional': 'those DNS servers that are professionally administered',
  'dns.s25r': 'those DNS servers on which S25R (rules 0–6) fires',
  'dns.blocklisted': 'those DNS servers listed by at least one current blocklist',
  'control.s25r': 'control-set addresses on which S25R fires (all are professional: the false-positive rate)',
  'blocklist.persistence': 'entries of the newer blocklist snapshot already listed in the older one',
};

export function describeShareKey(key: string): string | null {
  const [base, country] = key.split('@') as [string, string | undefined];
  const d = SHARE_DEFINITIONS[base];
  if (d === undefined) return null;
  return country === undefined ? d : `${d}, in ${country}`;
}

export function computeShares(base: TruthBase): WorldTruth {
  const ok = (n: NameTruth): boolean => n.status === 'ok';
  const ccIps = distinct(base.ccNames.filter((n) => ok(n) && n.kind !== 'sinkhole').map((n) => n.firstAddress as string));
  const dnsIps = distinct(base.ccNames.filter((n) => ok(n) && n.authServer !== null).map((n) => (n.authServer as { ip: string }).ip));
  const controlIps = distinct(base.controlNames.filter(ok).map((n) => n.firstAddress as string));
  const sinkholeIps = distinct(Object.values(base.hosts).filter((h) => h.sinkhole).map((h) => h.ip));
  const host = (ip: string): WorldHost => {
    const h = base.hosts[ip];
    if (h === undefined) throw new Error(`world truth: no host ${ip}`);
    return h;
  };
  const shares: Record<string, TruthShare> = {};
  const add = (key: string, ips: readonly string[], pred: (h: WorldHost) => boolean, within?: (h: WorldHost) => boolean): void => {
    const population = within === undefined ? ips : ips.filter((ip) => within(host(ip)));
    const put = (k: string, pop: readonly string[]): void => {
      const count = pop.filter((ip) => pred(host(ip))).length;
      shares[k] = { key: k, count, n: pop.length, share: pop.length === 0 ? null : count / pop.length, definition: describeShareKey(k) ?? k };
    };
    put(key, population);
    const countries = [...new Set(population.map((ip) => host(ip).country))].sort();
    for (const c of countries) put(`${key}@${c}`, population.filter((ip) => host(ip).country === c));
  };
  for (const [pop, ips] of [
    ['cc', ccIps],
    ['dns', dnsIps],
  ] as const) {
    add(`${pop}.endUser`, ips, (h) => h.admin === 'end-user');
    add(`${pop}.unmanaged`, ips, (h) => h.admin === 'unmanaged');
    add(`${pop}.professional`, ips, (h) => h.admin === 'professional');
    add(`${pop}.s25r`, ips, (h) => h.s25rFires);
    add(`${pop}.blocklisted`, ips, (h) => h.blocklists.length > 0);
  }
  add('cc.openIrc', ccIps, (h) => h.irc === 'open');
  add('cc.lifetimeUnder7', ccIps, (h) => (h.lifetimeDays ?? Infinity) < 7, (h) => h.admin !== 'end-user');
  add('control.s25r', controlIps, (h) => h.s25rFires);
  const p = base.persistence;
  shares['blocklist.persistence'] = {
    key: 'blocklist.persistence',
    count: p.alsoInOlder,
    n: p.newerEntries,
    share: p.newerEntries === 0 ? null : p.alsoInOlder / p.newerEntries,
    definition: describeShareKey('blocklist.persistence') as string,
  };
  return { ...base, ccIps, dnsIps, controlIps, sinkholeIps, shares };
}
