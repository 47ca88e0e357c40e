import { canonicalIp } from '../../domain/ip.js';

/** Longest textual IPv6 with an embedded IPv4 is 45 characters; anything much longer is garbage. */
const MAX_IP_TEXT = 64;

/**
 * A dionaea host field as a canonical IP string, or null when it is not an IP address.
 * dionaea listens dual-stack, so IPv4 peers often appear as "::ffff:192.0.2.1"; the project's one
 * IP parser (domain/ip.ts) turns those into plain IPv4 so that one attacker has one address.
 */
export function normalizeIp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 2 || value.length > MAX_IP_TEXT) return null;
  return canonicalIp(value);
}

/** A TCP/UDP port: an integer 0–65535. undefined means "not a port" (callers reject), null means absent. */
export function toPort(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  if (typeof value === 'bigint' && value >= 0n && value <= 65535n) return Number(value);
  return undefined;
}
