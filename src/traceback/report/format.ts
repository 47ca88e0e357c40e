/** Number formatting and escaping shared by the HTML and CSV renderings. */

/** "31.0%" for 0.31; "–" for null. One decimal, so 1/3 shows as 33.3%. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`;
}

/** "[24.1%, 38.5%]" for an interval. */
export function interval(low: number | null, high: number | null): string {
  return low === null || high === null ? '–' : `[${pct(low)}, ${pct(high)}]`;
}

/** "17.0%–31.0%" for a range. */
export function range(r: readonly [number, number] | null): string {
  return r === null ? '–' : `${pct(r[0])}–${pct(r[1])}`;
}

/** HTML text and attribute escaping: the five characters that matter. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One CSV field (RFC 4180); a leading = + - @ is prefixed with ' so spreadsheets do not run it. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
