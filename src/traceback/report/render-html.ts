/**
 * The report as one self-contained HTML page: tables, inline SVG charts, definitions. No script,
 * no external asset; every value from the study passes through escapeHtml (the `h` tag does it).
 */
import type { StudyReport } from './build-report.js';
import type { Ratio } from './compute.js';
import { escapeHtml, interval, pct, range } from './format.js';
import { svgBarChart } from './svg-bars.js';

/** Escaped HTML: interpolated values are escaped unless they are Raw (already-built markup). */
class Raw {
  constructor(readonly html: string) {}
}
function h(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += v instanceof Raw ? v.html : Array.isArray(v) ? v.map((x) => (x instanceof Raw ? x.html : escapeHtml(String(x)))).join('') : escapeHtml(String(v ?? ''));
    out += strings[i + 1] ?? '';
  });
  return new Raw(out);
}

const ratioCells = (x: Ratio): Raw => h`<td>${x.count}/${x.n}</td><td>${pct(x.share)}</td><td>${interval(x.low, x.high)}</td>`;

function table(head: readonly string[], rows: readonly Raw[]): Raw {
  return h`<table><thead><tr>${head.map((c) => h`<th>${c}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.def{color:#555;font-size:.9rem}h2{margin-top:2rem}figure{margin:1rem 0}`;

export function renderStudyHtml(rep: StudyReport): string {
  const t1 = (['dns', 'cc'] as const).map((role) => {
    const t = rep.table1[role];
    return h`<tr><th>${role === 'dns' ? 'DNS servers' : 'C&C servers'}</th>${ratioCells(t.raw)}${ratioCells(t.control)}<td>${pct(t.corrected)}</td><td>${range(t.range)}</td></tr>`;
  });
  const rules = (['dns', 'cc'] as const).map((role) => h`<tr><th>${role}</th>${rep.table1.rules[role].map((c) => h`<td>${c}</td>`)}</tr>`);
  const t2 = [
    h`<tr><th>any list</th><td>–</td>${ratioCells(rep.table2.cc)}${ratioCells(rep.table2.dns)}<td>–</td></tr>`,
    ...rep.table2.perList.map((l) => h`<tr><th>${l.feed}</th><td>${l.snapshotDate ?? '–'}</td>${ratioCells(l.cc)}${ratioCells(l.dns)}<td>${l.byIp} / ${l.byCidr} / ${l.byAsn}</td></tr>`),
  ];
  const verdicts = Object.entries(rep.table3.verdicts).sort(([a], [b]) => (a < b ? -1 : 1));
  const t4 = rep.table4;
  const c = rep.combined;
  const reach = rep.reach.map((x) => h`<tr><td>${x.k}</td><td>${range(x.range)}</td><td>${range(x.paper)}</td></tr>`);
  const status = Object.entries(rep.resolution.byStatus).sort(([a], [b]) => (a < b ? -1 : 1));
  const fig = (n: number, title: string, bars: Parameters<typeof svgBarChart>[0]): Raw =>
    h`<figure><figcaption>Figure ${n}. ${title}</figcaption>${new Raw(svgBarChart(bars, { title }))}</figure>`;
  const defs = Object.entries(rep.definitions).map(([k, v]) => h`<dt>${k}</dt><dd>${v}</dd>`);
  const page = h`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Botnet traceback study ${rep.study}</title><style>${new Raw(CSS)}</style></head><body>
<h1>Botnet traceback study: ${rep.study}</h1>
<p>Generated ${rep.generatedAt}. ${rep.resolution.names} C&amp;C names over ${rep.resolution.rounds} round(s), ${rep.resolution.queries} DNS queries; ${rep.ipCounts['cc'] ?? 0} C&amp;C IPs, ${rep.ipCounts['dns'] ?? 0} DNS server IPs, ${rep.ipCounts['control-cc'] ?? 0} control IPs; ${rep.rejects} list lines rejected (kept in the database).</p>
<h2>Resolution</h2>
${table(['status (latest round)', 'names'], status.map(([s, n]) => h`<tr><td>${s}</td><td>${n}</td></tr>`))}
<p>Mean hops of resolved names: ${rep.resolution.meanHops === null ? '–' : rep.resolution.meanHops.toFixed(2)}. Fast-flux names: ${rep.fastFlux.length}${rep.fastFlux.length > 0 ? `: ${rep.fastFlux.slice(0, 20).join(', ')}${rep.fastFlux.length > 20 ? ', …' : ''}` : ''}.</p>
<h2>Table 1. S25R end-user share (エンドユーザ)</h2>
${table(['', 'raw', 'share', '95% CI', 'control', 'share', '95% CI', 'corrected', 'range'], t1)}
${table(['rule fired (IPs)', '0', '1', '2', '3', '4', '5', '6'], rules)}
<h2>Table 2. Blocklist hits</h2>
${table(['list', 'snapshot', 'C&C listed', 'share', '95% CI', 'DNS listed', 'share', '95% CI', 'by ip / cidr / asn (C&C)'], t2)}
<p>Sinkholed C&amp;C IPs (left out of every share): ${rep.table2.sinkholes}.</p>
${rep.persistence.length === 0 ? h`<p>No older blocklist snapshots given: listing persistence not measured.</p>` : table(['list', 'older', 'newer', 'months apart', 'already listed', 'share', '95% CI'], rep.persistence.map((p) => h`<tr><th>${p.feed}</th><td>${p.olderDate ?? '–'}</td><td>${p.newerDate ?? '–'}</td><td>${p.monthsApart ?? '–'}</td>${ratioCells(p.ratio)}</tr>`))}
<h2>Table 3. Open IRC servers</h2>
${table(['', 'count', 'share', '95% CI'], [h`<tr><th>open, among probed C&amp;C IPs</th>${ratioCells(rep.table3.open)}</tr>`])}
${table(['verdict', 'C&C IPs'], [...verdicts.map(([v, n]) => h`<tr><td>${v}</td><td>${n}</td></tr>`), h`<tr><td>not probed</td><td>${rep.table3.notProbed}</td></tr>`])}
<h2>Table 4. C&amp;C life under 7 days</h2>
${table(['', 'count', 'share', '95% CI'], [h`<tr><th>under ${t4.thresholdDays} days, non-end-user C&amp;C IPs</th><td>${t4.count}/${t4.n}</td><td>${pct(t4.share)}</td><td>${interval(t4.low, t4.high)}</td></tr>`])}
<p>Left out: ${t4.endUserExcluded} end users, ${t4.unknown} without a known lifetime, ${t4.undetermined} still listed for less than ${t4.thresholdDays} days so far.</p>
<h2>Combined estimate (C&amp;C IPs, n = ${c.n})</h2>
${table(['class', 'share', 'range', '95% CI'], [
    h`<tr><th>end user</th><td>${pct(c.endUser.raw.share)} raw</td><td>${range(c.endUser.range)}</td><td>${interval(c.endUser.raw.low, c.endUser.raw.high)}</td></tr>`,
    h`<tr><th>bulletproof / unmanaged (lower bound)</th><td>${c.unmanagedLowerBound.count}/${c.unmanagedLowerBound.n} = ${pct(c.unmanagedLowerBound.share)}</td><td>≥ ${pct(c.unmanagedLowerBound.share)}</td><td>${interval(c.unmanagedLowerBound.low, c.unmanagedLowerBound.high)}</td></tr>`,
    h`<tr><th>professional (remainder)</th><td>${c.professional.classified.count}/${c.professional.classified.n} = ${pct(c.professional.classified.share)}</td><td>${range(c.professional.range)}</td><td>${interval(c.professional.classified.low, c.professional.classified.high)}</td></tr>`,
    h`<tr><th>professional with evidence (open IRC or life &lt; 7 days)</th><td>${c.professionalEvidence.count}/${c.professionalEvidence.n} = ${pct(c.professionalEvidence.share)}</td><td>–</td><td>${interval(c.professionalEvidence.low, c.professionalEvidence.high)}</td></tr>`,
  ])}
<h2>Reach model p<sup>k+1</sup> (踏み台 k)</h2>
${table(['stepping stones k', 'this study', 'paper'], reach)}
<h2>Figures by country</h2>
${fig(3, 'S25R end-user share of C&C IPs by country', rep.figures.endUserCc)}
${fig(3, 'S25R end-user share of DNS server IPs by country', rep.figures.endUserDns)}
${fig(4, 'Blocklisted C&C IPs by country', rep.figures.blocklisted)}
${fig(5, 'Open IRC servers among probed C&C IPs by country', rep.figures.openIrc)}
${fig(6, 'C&C life under 7 days (non-end-user) by country', rep.figures.shortLived)}
<h2>Definitions</h2>
<dl class="def">${defs}</dl>
</body></html>
`;
  return page.html;
}
