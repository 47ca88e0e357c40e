import { toUtcIso } from '../../domain/event.js';
import { canonicalIp } from '../../domain/ip.js';
import { showValue } from '../show-value.js';

/**
 * Field checks for one parsed cowrie record. Each returns the clean value or throws a FieldError
 * whose message is the reject reason, e.g. `src_port: expected an integer 0-65535, got "abc"`.
 * Throwing keeps the reader's happy path free of result-object plumbing; the reader catches it.
 */
export class FieldError extends Error {}

type Obj = Record<string, unknown>;

/** A short, safe rendering of a bad value for a reject reason. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : showValue(value);
}

function fail(field: string, expected: string, value: unknown): never {
  throw new FieldError(value === undefined ? `${field}: required, ${expected}` : `${field}: expected ${expected}, got ${show(value)}`);
}

export function requiredString(o: Obj, field: string, maxLength = 65536): string {
  const v = o[field];
  if (typeof v !== 'string' || v === '') fail(field, 'a non-empty string', v);
  if (v.length > maxLength) throw new FieldError(`${field}: longer than ${maxLength} characters (${v.length})`);
  return v;
}

export function optionalString(o: Obj, field: string, maxLength = 65536): string | null {
  const v = o[field];
  if (v === undefined || v === null || v === '') return null;
  return requiredString(o, field, maxLength);
}

export function requiredTime(o: Obj, field: string): string {
  const v = o[field];
  const t = typeof v === 'string' && v.length <= 64 ? toUtcIso(v) : null;
  if (t === null) fail(field, 'an ISO 8601 time', v);
  return t;
}

export function requiredIp(o: Obj, field: string): string {
  const v = o[field];
  const ip = typeof v === 'string' ? canonicalIp(v.trim()) : null;
  if (ip === null) fail(field, 'an IPv4 or IPv6 address', v);
  return ip;
}

export function optionalIp(o: Obj, field: string): string | null {
  const v = o[field];
  return v === undefined || v === null || v === '' ? null : requiredIp(o, field);
}

export function optionalPort(o: Obj, field: string): number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) fail(field, 'an integer 0-65535', v);
  return v;
}

export function requiredSha256(o: Obj, field: string): string {
  const v = o[field];
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{64}$/.test(v)) fail(field, 'a SHA-256 as 64 hex digits', v);
  return v.toLowerCase();
}
