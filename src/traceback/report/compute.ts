/**
 * Every number of the study report, computed from the stored study in one place. Pure functions;
 * each has a hand-arithmetic test. Shares are fractions in [0, 1] with a Wilson 95% interval.
 *
 * Populations: "C&C IPs" are the distinct first addresses of the C&C names (role 'cc'); sinkholes
 * are counted apart and left out of every share, so they cannot pass for unmanaged hosts. "DNS IPs"
 * are the servers that answered the names' A records. Control roles are the same for the benign
 * control list.
 */
import { ratio, reachRange, type Ratio } from '../../domain/study-math.js';
import type { IpRole, StudyIpRecord } from '../../storage/repositories/traceback-ips.js';
import type { ResolutionRecord } from '../../storage/repositories/traceback-resolutions.js';
import { endUserRange, type EndUserRange } from '../s25r/index.js';
import { shortLivedShare, type ShortLivedShare } from '../lifetime/index.js';

export { ratio, type Ratio } from '../../domain/study-math.js';

/** The IPs of a role, sinkholes left out. */
export function population(ips: readonly StudyIpRecord[], role: IpRole): StudyIpRecord[] {
  return ips.filter((r) => r.role === role && r.sinkhole === null);
}

/** Table 1: the S25R end-user share of DNS and C&C servers, raw, in the control set and corrected. */
export interface S25rTable {
  readonly dns: EndUserRange;
  readonly cc: EndUserRange;
  /** How often each rule (0–6) fired, per role: counts of IPs. */
  readonly rules: Record<'dns' | 'cc', number[]>;
}

export function s25rTable(ips: readonly StudyIpRecord[]): S25rTable {
  const rules = (role: IpRole): number[] => {
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (const r of population(ips, role)) for (const k of r.s25rRules) if (k >= 0 && k <= 6) counts[k] = (counts[k] ?? 0) + 1;
    return counts;
  };
  return {
    dns: endUserRange(population(ips, 'dns'), population(ips, 'control-dns')),
    cc: endUserRange(population(ips, 'cc'), population(ips, 'control-cc')),
    rules: { dns: rules('dns'), cc: rules('cc') },
  };
}

/** Table 2: C&C and DNS IPs listed by blocklists, in all and per list. */
export interface BlocklistTable {
  readonly cc: Ratio;
  readonly dns: Ratio;
  readonly perList: { feed: string; snapshotDate: string | null; cc: Ratio; dns: Ratio; byIp: number; byCidr: number; byAsn: number }[];
  /** C&C IPs on the sinkhole list (not in any share). */
  readonly sinkholes: number;
}

export function blocklistTable(ips: readonly StudyIpRecord[]): BlocklistTable {
  const cc = population(ips, 'cc');
  const dns = population(ips, 'dns');
  const feeds = new Map<string, string | null>();
  for (const r of [...cc, ...dns]) for (const b of r.blocklists) feeds.set(b.feed, b.snapshotDate);
  const listedBy = (rows: readonly StudyIpRecord[], feed: string): number => rows.filter((r) => r.blocklists.some((b) => b.feed === feed)).length;
  const perList = [...feeds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([feed, snapshotDate]) => {
    const hits = cc.flatMap((r) => {
      const own = r.blocklists.filter((b) => b.feed === feed);
      // An IP listed twice by one list (its /24 and its AS) counts once, by its most specific listing.
      return own.length === 0 ? [] : [own.some((b) => b.by === 'ip') ? 'ip' : own.some((b) => b.by === 'cidr') ? 'cidr' : 'asn'];
    });
    return {
      feed,
      snapshotDate,
      cc: ratio(listedBy(cc, feed), cc.length),
      dns: ratio(listedBy(dns, feed), dns.length),
      byIp: hits.filter((h) => h === 'ip').length,
      byCidr: hits.filter((h) => h === 'cidr').length,
      byAsn: hits.filter((h) => h === 'asn').length,
    };
  });
  return {
    cc: ratio(cc.filter((r) => r.blocklists.length > 0).length, cc.length),
    dns: ratio(dns.filter((r) => r.blocklists.length > 0).length, dns.length),
    perList,
    sinkholes: ips.filter((r) => r.role === 'cc' && r.sinkhole !== null).length,
  };
}

/** Table 3: open IRC servers among the C&C IPs that were probed. */
export interface IrcTable {
  readonly open: Ratio;
  readonly verdicts: Record<string, number>;
  readonly notProbed: number;
}

export function ircTable(ips: readonly StudyIpRecord[]): IrcTable {
  const cc = population(ips, 'cc');
  const probed = cc.filter((r) => r.ircVerdict !== null);
  const verdicts: Record<string, number> = {};
  for (const r of probed) verdicts[r.ircVerdict as string] = (verdicts[r.ircVerdict as string] ?? 0) + 1;
  return { open: ratio(probed.filter((r) => r.ircVerdict === 'open').length, probed.length), verdicts, notProbed: cc.length - probed.length };
}

/** Table 4: C&C IPs listed under 7 days, among those that are not end users. */
export function lifetimeTable(ips: readonly StudyIpRecord[]): ShortLivedShare {
  return shortLivedShare(population(ips, 'cc'));
}

export interface CountryBar {
  readonly country: string;
  readonly ratio: Ratio;
}

/** A measure by country: `hit` out of the rows `include` admits, per country (unknown as "??"), most rows first. */
export function byCountry(rows: readonly StudyIpRecord[], include: (r: StudyIpRecord) => boolean, hit: (r: StudyIpRecord) => boolean): CountryBar[] {
  const m = new Map<string, { count: number; n: number }>();
  for (const r of rows) {
    if (!include(r)) continue;
    const c = r.country ?? '??';
    const cur = m.get(c) ?? { count: 0, n: 0 };
    cur.n++;
    if (hit(r)) cur.count++;
    m.set(c, cur);
  }
  return [...m]
    .sort(([a, x], [b, y]) => y.n - x.n || (a < b ? -1 : 1))
    .map(([country, v]) => ({ country, ratio: ratio(v.count, v.n) }));
}

export interface CountryFigures {
  /** Figure 3: S25R end-user share of C&C IPs (and of DNS IPs) by country. */
  readonly endUserCc: CountryBar[];
  readonly endUserDns: CountryBar[];
  /** Figure 4: blocklisted C&C IPs by country. */
  readonly blocklisted: CountryBar[];
  /** Figure 5: open IRC among probed C&C IPs by country. */
  readonly openIrc: CountryBar[];
  /** Figure 6: listed under 7 days among non-end-user C&C IPs with a decidable lifetime, by country. */
  readonly shortLived: CountryBar[];
}

export function countryFigures(ips: readonly StudyIpRecord[]): CountryFigures {
  const cc = population(ips, 'cc');
  const decidable = (r: StudyIpRecord): boolean => !r.endUser && r.lifetimeDays !== null && !(r.lifetimeDays < 7 && r.lifetimeCensored === true);
  return {
    endUserCc: byCountry(cc, () => true, (r) => r.endUser),
    endUserDns: byCountry(population(ips, 'dns'), () => true, (r) => r.endUser),
    blocklisted: byCountry(cc, () => true, (r) => r.blocklists.length > 0),
    openIrc: byCountry(cc, (r) => r.ircVerdict !== null, (r) => r.ircVerdict === 'open'),
    shortLived: byCountry(cc, decidable, (r) => (r.lifetimeDays as number) < 7),
  };
}

/**
 * The combined estimate over the C&C IPs (sinkholes left out), each IP in exactly one class:
 * end user when S25R fires, else unmanaged when a blocklist lists it, else professional.
 *
 *   endUser       [corrected, raw] from Table 1 (raw alone without a control set);
 *   unmanaged     listed and not an end user: a LOWER bound, since blocklists miss hosts;
 *   professional  the remainder, as a range: low = 1 − raw − unmanaged (the IPs classified
 *                 professional), high = 1 − corrected − unmanaged (adding back the end-user share
 *                 the control set says is S25R's false alarm). The true share may be lower than
 *                 the low end when blocklists miss unmanaged hosts.
 *   evidence      of the IPs classified professional, those with positive evidence of a
 *                 professional administrator: an open IRC server, or a C&C life under 7 days.
 */
export interface CombinedEstimate {
  readonly n: number;
  readonly endUser: { readonly raw: Ratio; readonly range: readonly [number, number] | null };
  readonly unmanagedLowerBound: Ratio;
  readonly professional: { readonly classified: Ratio; readonly range: readonly [number, number] | null };
  readonly professionalEvidence: Ratio;
}

export function combinedEstimate(ips: readonly StudyIpRecord[], s25r: S25rTable): CombinedEstimate {
  const cc = population(ips, 'cc');
  const n = cc.length;
  const endUser = cc.filter((r) => r.classification === 'end-user').length;
  const unmanaged = cc.filter((r) => r.classification === 'unmanaged').length;
  const professional = cc.filter((r) => r.classification === 'professional');
  const evidence = professional.filter((r) => r.ircVerdict === 'open' || (r.lifetimeDays !== null && r.lifetimeDays < 7 && r.lifetimeCensored !== true)).length;
  const raw = ratio(endUser, n);
  const eRange: readonly [number, number] | null = n === 0 ? null : (s25r.cc.range ?? [raw.share as number, raw.share as number]);
  const classified = ratio(professional.length, n);
  // Cross-multiplied like endUserRange, so that hand-checked figures come out exact.
  // high = classified + (raw − corrected); raw − corrected is the control share, or raw itself when
  // the correction floored at 0. Kept as one fraction over n·n_control.
  const ctl = s25r.cc.control;
  const high =
    classified.share === null || s25r.cc.range === null
      ? classified.share
      : Math.min(1, (professional.length * ctl.n + Math.min(s25r.cc.raw.count * ctl.n, ctl.count * s25r.cc.raw.n)) / (n * ctl.n));
  return {
    n,
    endUser: { raw, range: eRange },
    unmanagedLowerBound: ratio(unmanaged, n),
    professional: { classified, range: classified.share === null || high === null ? null : [classified.share, high] },
    professionalEvidence: ratio(evidence, professional.length),
  };
}

/** The paper's reach figures (Kai & Sasaki) for comparison, as printed there. */
export const PAPER_REACH: Readonly<Record<number, readonly [number, number]>> = { 1: [0.16, 0.25], 2: [0.06, 0.12], 5: [0.01, 0.03] };

export interface ReachRow {
  /** Stepping stones between the victim and the operator. */
  readonly k: number;
  /** p^(k+1) over the professional range. */
  readonly range: readonly [number, number] | null;
  readonly paper: readonly [number, number] | null;
}

/** The reach model p^(k+1) for k = 1..maxK with p from the professional range. */
export function reachTable(pRange: readonly [number, number] | null, maxK = 5): ReachRow[] {
  const rows: ReachRow[] = [];
  for (let k = 1; k <= maxK; k++) rows.push({ k, range: pRange === null ? null : reachRange(pRange, k), paper: PAPER_REACH[k] ?? null });
  return rows;
}

export interface ResolutionSummary {
  readonly names: number;
  readonly rounds: number;
  /** Status of each name in its latest round. */
  readonly byStatus: Record<string, number>;
  /** Mean hops of the successful resolutions of the latest round; null when none. */
  readonly meanHops: number | null;
  readonly queries: number;
}

export function resolutionSummary(resolutions: readonly ResolutionRecord[]): ResolutionSummary {
  const latest = new Map<string, ResolutionRecord>();
  let rounds = 0;
  let queries = 0;
  for (const r of resolutions) {
    if (r.set !== 'cc') continue;
    rounds = Math.max(rounds, r.round);
    queries += r.queries;
    const cur = latest.get(r.name);
    if (cur === undefined || r.round > cur.round) latest.set(r.name, r);
  }
  const byStatus: Record<string, number> = {};
  let hops = 0;
  let ok = 0;
  for (const r of latest.values()) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.status === 'ok') {
      hops += r.hops;
      ok++;
    }
  }
  return { names: latest.size, rounds, byStatus, meanHops: ok === 0 ? null : hops / ok, queries };
}
