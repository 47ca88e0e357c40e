/**
 * The study's estimates in the terms of a world with a known truth (see src/traceback/world,
 * compareToTruth): one key per share, with the interval the report states for it.
 */
import type { StudyReport } from '../report/index.js';
import type { Ratio } from '../report/index.js';

export interface TruthEstimate {
  readonly key: string;
  readonly estimate: number | null;
  readonly interval: readonly [number, number] | null;
  readonly bound?: 'interval' | 'lower' | 'upper';
}

const wilsonOf = (key: string, r: Ratio): TruthEstimate => ({ key, estimate: r.share, interval: r.low === null || r.high === null ? null : [r.low, r.high] });

/** End-user share: the [corrected, raw] range widened by the raw share's Wilson half-widths. */
function endUser(key: string, t: StudyReport['table1']['cc']): TruthEstimate {
  if (t.raw.share === null || t.raw.low === null || t.raw.high === null) return { key, estimate: null, interval: null };
  const low = t.corrected === null ? t.raw.low : Math.max(0, t.corrected - (t.raw.share - t.raw.low));
  return { key, estimate: t.raw.share, interval: [low, t.raw.high] };
}

export function truthEstimates(rep: StudyReport): TruthEstimate[] {
  const c = rep.combined;
  const out: TruthEstimate[] = [
    wilsonOf('cc.s25r', rep.table1.cc.raw),
    wilsonOf('dns.s25r', rep.table1.dns.raw),
    wilsonOf('control.s25r', rep.table1.cc.control),
    endUser('cc.endUser', rep.table1.cc),
    endUser('dns.endUser', rep.table1.dns),
    { key: 'cc.unmanaged', estimate: c.unmanagedLowerBound.share, interval: c.unmanagedLowerBound.low === null ? null : [c.unmanagedLowerBound.low, 1], bound: 'lower' },
    wilsonOf('cc.blocklisted', rep.table2.cc),
    wilsonOf('dns.blocklisted', rep.table2.dns),
    wilsonOf('cc.openIrc', rep.table3.open),
    wilsonOf('cc.lifetimeUnder7', rep.table4),
  ];
  const p = c.professional;
  if (p.range !== null && p.classified.low !== null && p.classified.high !== null && p.classified.share !== null) {
    out.push({ key: 'cc.professional', estimate: p.classified.share, interval: [Math.min(p.range[0], p.classified.low), Math.min(1, p.range[1] + (p.classified.high - p.classified.share))] });
  }
  const first = rep.persistence[0];
  if (first !== undefined) out.push(wilsonOf('blocklist.persistence', first.ratio));
  return out;
}
