/**
 * Canonical forms of the values feeds list. Every reader goes through these so that the same
 * address written two ways ("2001:DB8::1", "2001:db8:0::1") deduplicates and matches as one.
 */
import ipaddr from 'ipaddr.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Canonical IP text: dotted quad for IPv4, RFC 5952 for IPv6. Rejects short forms like "10.1" and leading zeros. */
export function canonicalIp(text: string): Parsed<string> {
  const s = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ok(ipaddr.IPv4.parse(s).toString());
  if (s.includes(':') && ipaddr.IPv6.isValid(s) && !s.includes('%')) return ok(ipaddr.IPv6.parse(s).toRFC5952String());
  return bad(`not an IP address: ${JSON.stringify(clip(s))}`);
}

export interface CanonicalCidr {
  /** 'ip' for a full-length prefix, so that "192.0.2.1/32" and "192.0.2.1" are one entry. */
  readonly kind: 'ip' | 'cidr';
  readonly value: string;
  /** True when the listed prefix had host bits set and was cleared. */
  readonly hostBitsCleared: boolean;
}

/** Canonical CIDR: network address with host bits cleared; full-length prefixes become plain IPs. */
export function canonicalCidr(text: string): Parsed<CanonicalCidr> {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash < 0) return bad(`not a CIDR: ${JSON.stringify(clip(s))}`);
  const ip = canonicalIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip.ok) return bad(`not a CIDR (bad address): ${JSON.stringify(clip(s))}`);
  const v6 = ip.value.includes(':');
  const max = v6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) return bad(`not a CIDR (bad prefix length): ${JSON.stringify(clip(s))}`);
  const len = Number(lenText);
  if (len === max) return ok({ kind: 'ip', value: ip.value, hostBitsCleared: false });
  const bits = ipToBigInt(ip.value);
  const net = len === 0 ? 0n : (bits >> BigInt(max - len)) << BigInt(max - len);
  const netText = bigIntToIp(net, v6);
  return ok({ kind: 'cidr', value: `${netText}/${len}`, hostBitsCleared: net !== bits });
}

/** An IP or a CIDR, whichever the text is. */
export function canonicalAddress(text: string): Parsed<CanonicalCidr> {
  if (text.includes('/')) return canonicalCidr(text);
  const ip = canonicalIp(text);
  return ip.ok ? ok({ kind: 'ip', value: ip.value, hostBitsCleared: false }) : ip;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * Canonical host name: lowercase ASCII (IDN in punycode), no trailing dot, at least two labels.
 * Underscores are allowed because malware domains use them and resolvers accept them.
 */
export function canonicalDomain(text: string): Parsed<string> {
  let s = text.trim().toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s === '' || s.length > 253) return bad(`not a domain name: ${JSON.stringify(clip(s))}`);
  if (/[^\x21-\x7e]/.test(s)) {
    // Non-ASCII names are listed in Unicode by some feeds; compare them in their DNS (punycode) form.
    try {
      s = new URL(`http://${s}/`).hostname;
    } catch {
      return bad(`not a domain name: ${JSON.stringify(clip(s))}`);
    }
  }
  const labels = s.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return bad(`not a domain name: ${JSON.stringify(clip(s))}`);
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return bad(`not a domain name (numeric top label): ${JSON.stringify(clip(s))}`);
  return ok(s);
}

/** "AS64496", "as64496" or "64496" to 64496. */
export function parseAsn(text: string): Parsed<number> {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 4294967295) return bad(`not an AS number: ${JSON.stringify(clip(text))}`);
  return ok(n);
}

export function parsePort(text: string): Parsed<number> {
  const s = text.trim();
  const n = /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 0 && n <= 65535)) return bad(`not a port: ${JSON.stringify(clip(s))}`);
  return ok(n);
}

const FEED_TIME = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T_](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?: ?(?:UTC|Z|\+00:?00))?$/i;

/**
 * A feed time ("2021-01-17 07:30:05", "2015/07/10_13:37", "2021-02-10") as canonical UTC ISO.
 * abuse.ch and MDL publish UTC without saying so in each cell. Calendar overflow such as
 * 2020-02-31 is rejected instead of rolling over into March.
 */
export function parseFeedTime(text: string): Parsed<string> {
  const m = FEED_TIME.exec(text.trim());
  if (!m) return bad(`not a date/time: ${JSON.stringify(clip(text))}`);
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const date = new Date(t);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    return bad(`not a valid date/time: ${JSON.stringify(clip(text))}`);
  }
  return ok(date.toISOString());
}

/** IP text (canonical or not) to its integer value. Throws on invalid input: call after canonicalIp. */
export function ipToBigInt(ip: string): bigint {
  const bytes = ipaddr.parse(ip).toByteArray();
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export function bigIntToIp(n: bigint, v6: boolean): string {
  const len = v6 ? 16 : 4;
  const bytes: number[] = new Array<number>(len);
  let x = n;
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  const addr = ipaddr.fromByteArray(bytes);
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export interface UrlHost {
  /** Canonical IP or domain. */
  readonly host: string;
  readonly isIp: boolean;
  readonly port?: number;
}

/**
 * The host of a URL as feeds write it: with or without scheme ("www.example.test/a.exe"),
 * with a port, with an IPv6 literal in brackets.
 */
export function urlHost(text: string): Parsed<UrlHost> {
  const s = text.trim();
  const rest = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = (/^[^/?#]*/.exec(rest)?.[0] ?? '').replace(/^.*@/, '');
  let hostText = authority;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  if (v6) {
    hostText = v6[1] ?? '';
    portText = v6[2];
  } else {
    const c = authority.lastIndexOf(':');
    if (c >= 0 && authority.indexOf(':') === c) {
      hostText = authority.slice(0, c);
      portText = authority.slice(c + 1);
    }
  }
  let port: number | undefined;
  if (portText !== undefined && portText !== '') {
    const p = parsePort(portText);
    if (!p.ok) return bad(`URL has a bad port: ${JSON.stringify(clip(s))}`);
    port = p.value;
  }
  const ip = canonicalIp(hostText);
  if (ip.ok) return ok({ host: ip.value, isIp: true, ...(port !== undefined ? { port } : {}) });
  const d = canonicalDomain(hostText);
  if (d.ok) return ok({ host: d.value, isIp: false, ...(port !== undefined ? { port } : {}) });
  return bad(`URL has no valid host: ${JSON.stringify(clip(s))}`);
}
