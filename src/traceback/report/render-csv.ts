/** The report as one CSV table: section, item, count, n, share, low, high (fractions). */
import type { StudyReport } from './build-report.js';
import type { CountryBar, Ratio } from './compute.js';
import { csvField } from './format.js';

type Row = [string, string, number | null, number | null, number | null, number | null, number | null];

const r = (section: string, item: string, x: Ratio | { count: number; n: number; share: number | null; low: number | null; high: number | null }): Row => [section, item, x.count, x.n, x.share, x.low, x.high];
const value = (section: string, item: string, v: number | null): Row => [section, item, null, null, v, null, null];
const span = (section: string, item: string, v: readonly [number, number] | null): Row => [section, item, null, null, null, v?.[0] ?? null, v?.[1] ?? null];

export function studyReportRows(rep: StudyReport): Row[] {
  const rows: Row[] = [];
  for (const role of ['dns', 'cc'] as const) {
    const t = rep.table1[role];
    rows.push(r(`table1-s25r-${role}`, 'raw', t.raw), r(`table1-s25r-${role}`, 'control', t.control), value(`table1-s25r-${role}`, 'corrected', t.corrected), span(`table1-s25r-${role}`, 'range', t.range));
  }
  rows.push(r('table2-blocklists', 'cc any list', rep.table2.cc), r('table2-blocklists', 'dns any list', rep.table2.dns));
  for (const l of rep.table2.perList) rows.push(r('table2-blocklists', `cc ${l.feed}`, l.cc), r('table2-blocklists', `dns ${l.feed}`, l.dns));
  for (const p of rep.persistence) rows.push(r('table2-persistence', `${p.feed} ${p.olderDate ?? '?'}..${p.newerDate ?? '?'}`, p.ratio));
  rows.push(r('table3-irc', 'open', rep.table3.open));
  rows.push(r('table4-lifetime', 'under 7 days', rep.table4));
  const fig = (name: string, bars: readonly CountryBar[]): void => {
    for (const b of bars) rows.push(r(name, b.country, b.ratio));
  };
  fig('figure3-end-user-cc-by-country', rep.figures.endUserCc);
  fig('figure3-end-user-dns-by-country', rep.figures.endUserDns);
  fig('figure4-blocklisted-by-country', rep.figures.blocklisted);
  fig('figure5-open-irc-by-country', rep.figures.openIrc);
  fig('figure6-short-lived-by-country', rep.figures.shortLived);
  rows.push(r('combined', 'end user raw', rep.combined.endUser.raw), span('combined', 'end user range', rep.combined.endUser.range));
  rows.push(r('combined', 'unmanaged lower bound', rep.combined.unmanagedLowerBound));
  rows.push(r('combined', 'professional classified', rep.combined.professional.classified), span('combined', 'professional range', rep.combined.professional.range));
  rows.push(r('combined', 'professional evidence', rep.combined.professionalEvidence));
  for (const x of rep.reach) rows.push(span('reach', `k=${x.k}`, x.range));
  rows.push(value('resolution', 'fast-flux names', rep.fastFlux.length));
  return rows;
}

export function renderStudyCsv(rep: StudyReport): string {
  const head = 'section,item,count,n,share,low,high';
  return `${[head, ...studyReportRows(rep).map((row) => row.map(csvField).join(','))].join('\r\n')}\r\n`;
}
