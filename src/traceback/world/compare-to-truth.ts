/**
 * How close the study's estimates land to the world's truth, and why one misses when it does.
 * The reasons come from the truth itself: how often S25R misses end users or fires on servers in
 * the measured population, how many unmanaged hosts the blocklists miss, and so on.
 */
import type { TruthShare, WorldHost, WorldTruth } from './types.js';

export interface StudyEstimate {
  /** A truth share key, e.g. "cc.endUser" or "cc.endUser@JP" (see SHARE_DEFINITIONS). */
  readonly key: string;
  /** The point estimate as a fraction, when the study gives one. */
  readonly estimate: number | null;
  /** The stated interval as fractions, e.g. a Wilson 95% interval, or the end-user range widened by Wilson. */
  readonly interval: readonly [number, number] | null;
  /**
   * 'interval' (default): the truth must lie inside. 'lower': the estimate is a lower bound (as the
   * study's unmanaged share is), so the truth must be at least interval[0]. 'upper': at most interval[1].
   */
  readonly bound?: 'interval' | 'lower' | 'upper';
}

export interface TruthComparison {
  readonly key: string;
  readonly estimate: number | null;
  readonly interval: readonly [number, number] | null;
  readonly bound: 'interval' | 'lower' | 'upper';
  /** The true share, null when the world has no such share. */
  readonly truth: number | null;
  readonly truthCount: number | null;
  readonly truthN: number | null;
  /** estimate − truth, when both exist. */
  readonly error: number | null;
  readonly within: boolean;
  /** One sentence: where the truth lies against the interval and, when outside, the known causes. */
  readonly why: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function population(truth: WorldTruth, key: string): WorldHost[] {
  const [base = '', country] = key.split('@');
  const pop = base.startsWith('cc.') ? truth.ccIps : base.startsWith('dns.') ? truth.dnsIps : base.startsWith('control.') ? truth.controlIps : [];
  return pop.map((ip) => truth.hosts[ip]).filter((h): h is WorldHost => h !== undefined && (country === undefined || h.country === country));
}

/** The known ways the measurement differs from the truth for this share, from the truth itself. */
function causes(truth: WorldTruth, key: string): string {
  const base = key.split('@')[0] ?? '';
  const pop = population(truth, key);
  const count = (f: (h: WorldHost) => boolean): number => pop.filter(f).length;
  if (base.endsWith('.endUser') || base.endsWith('.s25r')) {
    const eu = count((h) => h.admin === 'end-user');
    const missed = count((h) => h.admin === 'end-user' && !h.s25rFires);
    const other = pop.length - eu;
    const fp = count((h) => h.admin !== 'end-user' && h.s25rFires);
    return `S25R misses ${missed} of ${eu} end-user addresses (hand-named home lines) and fires on ${fp} of ${other} others (no PTR, unconfirmed PTR, hosting names that embed the address); the control-set correction assumes the false-positive rate of the control set holds here`;
  }
  if (base.endsWith('.unmanaged')) {
    const um = count((h) => h.admin === 'unmanaged');
    const listed = count((h) => h.admin === 'unmanaged' && h.blocklists.length > 0);
    const others = count((h) => h.admin !== 'unmanaged' && h.blocklists.length > 0 && !h.sinkhole);
    return `blocklists list ${listed} of ${um} unmanaged addresses (so the blocklist share is a lower bound) and ${others} addresses of other kinds (end-user lines on IP lists)`;
  }
  if (base.endsWith('.professional')) return 'the professional share is what the end-user and unmanaged estimates leave, so their errors carry over';
  if (base === 'cc.openIrc') return 'the probe verdicts should match the listeners exactly; a miss means a wrong target map, time-outs, or a different population of C&C addresses';
  if (base === 'cc.lifetimeUnder7') {
    const eu = count((h) => h.admin === 'end-user' && !h.s25rFires);
    const fp = count((h) => h.admin !== 'end-user' && h.s25rFires);
    return `the population is "not end-user" as S25R sees it: ${eu} end-user addresses slip in and ${fp} others drop out`;
  }
  if (base === 'blocklist.persistence') return 'persistence is exact arithmetic on the two snapshot files; a miss means entries were read or matched differently';
  if (base.endsWith('.blocklisted')) return 'blocklist membership is exact; a miss means a list was not read, or CIDR/sinkhole handling differs';
  return 'no known cause recorded for this share';
}

/** Compares each estimate with the world's true share of the same key. */
export function compareToTruth(estimates: readonly StudyEstimate[], truth: WorldTruth): TruthComparison[] {
  return estimates.map((e) => {
    const bound = e.bound ?? 'interval';
    const t: TruthShare | undefined = truth.shares[e.key];
    const base = { key: e.key, estimate: e.estimate, interval: e.interval, bound };
    if (t === undefined || t.share === null) {
      return { ...base, truth: null, truthCount: t?.count ?? null, truthN: t?.n ?? null, error: null, within: false, why: `the world has no true share "${e.key}"` };
    }
    const truthShare = t.share;
    const error = e.estimate === null ? null : e.estimate - truthShare;
    const head = { ...base, truth: truthShare, truthCount: t.count, truthN: t.n, error };
    if (e.interval === null) return { ...head, within: false, why: `the study stated no interval; the truth is ${pct(truthShare)} (${t.count}/${t.n})` };
    const [lo, hi] = e.interval[0] <= e.interval[1] ? e.interval : [e.interval[1], e.interval[0]];
    const eps = 1e-9;
    const within = bound === 'lower' ? truthShare >= lo - eps : bound === 'upper' ? truthShare <= hi + eps : truthShare >= lo - eps && truthShare <= hi + eps;
    const stated = bound === 'lower' ? `the lower bound ${pct(lo)}` : bound === 'upper' ? `the upper bound ${pct(hi)}` : `[${pct(lo)}, ${pct(hi)}]`;
    if (within) return { ...head, within, why: `the truth ${pct(truthShare)} (${t.count}/${t.n}) is within ${stated}` };
    const side = truthShare < lo ? `below ${pct(lo)} by ${pct(lo - truthShare)}` : `above ${pct(hi)} by ${pct(truthShare - hi)}`;
    return { ...head, within, why: `the truth ${pct(truthShare)} (${t.count}/${t.n}) is ${side}, outside ${stated}: ${causes(truth, e.key)}` };
  });
}
