/** Splits rows so that one INSERT stays under the dialect's bound-parameter limit. */
export function chunkRows<T extends object>(rows: readonly T[], maxParams: number): T[][] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0] as object).length || 1;
  const size = Math.max(1, Math.floor(maxParams / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
