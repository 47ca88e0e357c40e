import { isIP } from 'node:net';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const split = (s: string): string[] => s.split(/[\s,]+/).filter((x) => x !== '').slice(0, 10_000);

/** "AS64500, 64501" -> [64500, 64501]; the first bad entry is named. */
export function parseAsns(text: string): Parsed<number[]> {
  const out: number[] = [];
  for (const item of split(text)) {
    const m = /^(?:AS)?(\d{1,10})$/i.exec(item);
    const n = m ? Number(m[1]) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 4294967295) return { ok: false, error: `not an AS number: ${item.slice(0, 40)}` };
    out.push(n);
  }
  return { ok: true, value: out };
}

/** "192.0.2.0/24 2001:db8::/32" -> the same list, checked for shape; the workflow checks overlaps. */
export function parsePrefixes(text: string): Parsed<string[]> {
  const out: string[] = [];
  for (const item of split(text)) {
    const [addr = '', len, ...rest] = item.split('/');
    const v = isIP(addr);
    const bits = Number(len);
    if (v === 0 || rest.length > 0 || len === undefined || !/^\d{1,3}$/.test(len) || bits > (v === 4 ? 32 : 128)) {
      return { ok: false, error: `not a prefix: ${item.slice(0, 60)}` };
    }
    out.push(item);
  }
  return { ok: true, value: out };
}
