/** Thrown inside a record mapper to turn the current line into a reject; caught by the reader. */
export class RecordReject {
  constructor(readonly reason: string) {}
}

export function fail(reason: string): never {
  throw new RecordReject(reason);
}

/** A value for a reason text: short and typed. */
export function show(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

const MAX_TIMESTAMP = 40;

/** dionaea writes datetime.utcnow().isoformat(): no zone, meant as UTC. Returns the raw text (for keys) too. */
export function checkTimestamp(value: unknown, toIso: (s: string) => string | null): { readonly raw: string; readonly iso: string } {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TIMESTAMP) fail(`timestamp is not a time: ${show(value)}`);
  const iso = toIso(value);
  if (iso === null) fail(`timestamp is not a time: ${show(value)}`);
  return { raw: value, iso };
}
