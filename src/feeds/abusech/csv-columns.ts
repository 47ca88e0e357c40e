/**
 * abuse.ch CSVs name their columns in a header line ("# id,dateadded,url,…", ThreatFox's
 * `# "first_seen_utc", "ioc_id", …`, Feodo 2021's unprefixed `"first_seen_utc","dst_ip",…`) and
 * have changed them over the years. Readers map fields by header name and fall back to a
 * known column order by count only when the header is missing.
 */
import { splitCsvLine } from '../csv-line.js';

export type Columns = ReadonlyMap<string, number>;

/** "Dateadded (UTC)" -> "dateadded", "DstIP" -> "dstip", "first_seen_utc" stays. */
export function normaliseColumnName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\(utc\)/g, '')
    .trim()
    .replace(/\s+/g, '_');
}

/** The column map when `text` is a header line naming the column `mustHave`; otherwise null. */
export function readHeader(text: string, mustHave: string): Columns | null {
  const body = text.replace(/^#\s*/, '');
  const split = splitCsvLine(body);
  if (!split.ok || split.fields.length < 2) return null;
  const names = split.fields.map(normaliseColumnName);
  if (!names.includes(mustHave)) return null;
  return new Map(names.map((n, i) => [n, i]));
}

/** Columns by a fixed order, for files without a header. */
export function columnsOf(names: readonly string[]): Columns {
  return new Map(names.map((n, i) => [n, i]));
}

/** A field by any of its names over the years; '', '-' and 'None' are "not given". */
export function field(fields: readonly string[], cols: Columns, ...names: string[]): string | undefined {
  for (const n of names) {
    const i = cols.get(n);
    if (i === undefined) continue;
    const v = fields[i]?.trim();
    if (v === undefined || v === '' || v === '-' || v === 'None' || v === 'null') return undefined;
    return v;
  }
  return undefined;
}
