import ipaddr from 'ipaddr.js';

/** Longest textual IPv6 with an embedded IPv4 is 45 characters; anything much longer is garbage. */
const MAX_IP_TEXT = 64;

/**
 * A dionaea host field as a canonical IP string, or null when it is not an IP address.
 * dionaea listens dual-stack, so IPv4 peers often appear as "::ffff:192.0.2.1"; those become
 * plain IPv4 so that the same attacker has one address everywhere downstream.
 * Only strict dotted-quad IPv4 is accepted (no "0x7f.1" or "127.1" forms).
 */
export function normalizeIp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 2 || value.length > MAX_IP_TEXT) return null;
  let s = value;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.indexOf(':') < 0) return isDottedQuad(s) ? s : null;
  if (!ipaddr.IPv6.isValid(s)) return null;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString();
}

/** Strict a.b.c.d with 0–255 parts and no leading zeros; hand-written because it runs for every record. */
function isDottedQuad(s: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; /* '.' ends the last part */
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; /* leading zero */
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** A TCP/UDP port: an integer 0–65535. undefined means "not a port" (callers reject), null means absent. */
export function toPort(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  if (typeof value === 'bigint' && value >= 0n && value <= 65535n) return Number(value);
  return undefined;
}
