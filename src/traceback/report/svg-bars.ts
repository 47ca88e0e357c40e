/**
 * A horizontal bar chart as inline SVG: one bar per country with its Wilson interval as a whisker.
 * No script, no external asset; every text is escaped.
 */
import type { CountryBar } from './compute.js';
import { escapeHtml, pct } from './format.js';

export interface BarChartOptions {
  readonly title: string;
  /** Most bars shown; the rest are summed in the text below the chart. Default 20. */
  readonly maxBars?: number;
}

export function svgBarChart(bars: readonly CountryBar[], opts: BarChartOptions): string {
  const shown = bars.filter((b) => b.ratio.n > 0).slice(0, opts.maxBars ?? 20);
  const rowH = 22;
  const left = 60;
  const width = 420;
  const right = 150;
  const top = 24;
  const height = top + Math.max(1, shown.length) * rowH + 24;
  const x = (f: number): number => left + f * width;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${left + width + right} ${height}" width="${left + width + right}" height="${height}">`);
  parts.push(`<title>${escapeHtml(opts.title)}</title>`);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${height - 20}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(t)}" y="${height - 6}" font-size="10" text-anchor="middle">${t * 100}%</text>`);
  }
  if (shown.length === 0) parts.push(`<text x="${left}" y="${top + 14}" font-size="12">no data</text>`);
  shown.forEach((b, i) => {
    const y = top + i * rowH;
    const share = b.ratio.share ?? 0;
    parts.push(`<text x="${left - 6}" y="${y + 14}" font-size="12" text-anchor="end">${escapeHtml(b.country)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${(share * width).toFixed(1)}" height="${rowH - 8}" fill="#4a7ab5"/>`);
    if (b.ratio.low !== null && b.ratio.high !== null) {
      const cy = y + rowH / 2 - 1;
      parts.push(`<line x1="${x(b.ratio.low).toFixed(1)}" y1="${cy}" x2="${x(b.ratio.high).toFixed(1)}" y2="${cy}" stroke="#222"/>`);
      parts.push(`<line x1="${x(b.ratio.low).toFixed(1)}" y1="${cy - 4}" x2="${x(b.ratio.low).toFixed(1)}" y2="${cy + 4}" stroke="#222"/>`);
      parts.push(`<line x1="${x(b.ratio.high).toFixed(1)}" y1="${cy - 4}" x2="${x(b.ratio.high).toFixed(1)}" y2="${cy + 4}" stroke="#222"/>`);
    }
    parts.push(`<text x="${left + width + 8}" y="${y + 14}" font-size="11">${escapeHtml(`${pct(b.ratio.share)} (${b.ratio.count}/${b.ratio.n})`)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
