import { InvalidArgumentError } from 'commander';

/** A whole number ≥ min from an option value; commander shows the message with the option's name. */
export function positiveInt(value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** A date or time given on the command line, as an ISO UTC instant. */
export function isoTime(value: string): string {
  const s = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /^\d{4}-\d{2}$/.test(value) ? `${value}-01T00:00:00Z` : value;
  const t = new Date(s);
  if (!Number.isFinite(t.getTime())) throw new InvalidArgumentError(`expected a date like 2024-05-01 or 2024-05, got "${value}"`);
  return t.toISOString();
}
