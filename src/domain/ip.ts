/**
 * IP address and prefix parsing, written by hand because it runs on every ingested event
 * (node:net would also pull I/O into the domain layer).
 *
 * Accepted text (strict; callers trim whitespace first):
 * - IPv4: four decimal octets 0–255, no leading zeros ("192.0.2.010" is rejected, because
 *   inet_aton would read it as octal and the two readings disagree).
 * - IPv6: RFC 4291 text, any case, with "::" and an optional trailing dotted IPv4.
 *   Zone ids ("fe80::1%eth0") and brackets are rejected.
 * - Any address in ::ffff:0:0/96 (IPv4-mapped) is returned as the IPv4 address it carries.
 */

export interface ParsedIpv4 {
  readonly version: 4;
  /** Canonical dotted quad. */
  readonly text: string;
  /** The address as an unsigned 32-bit integer. */
  readonly v4: number;
}

export interface ParsedIpv6 {
  readonly version: 6;
  /** RFC 5952: lower case, no leading zeros, longest run of two or more zero groups as "::". */
  readonly text: string;
  /**
   * The 128 bits as four unsigned 32-bit words, most significant first. Four numbers compare
   * faster than bigints and allocate nothing beyond this tuple.
   */
  readonly words: readonly [number, number, number, number];
}

export type ParsedIp = ParsedIpv4 | ParsedIpv6;

const DOT = 46;
const COLON = 58;
const ZERO = 48;

/**
 * The IPv4 address in s[start, end) as an unsigned 32-bit integer, or -1 when it is not a strict
 * dotted quad. Allocates nothing: this is the hot path for every event and every CSV row.
 */
export function parseIpv4Range(s: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return -1;
    if (digits === 1 && octet === 0) return -1; // leading zero
    octet = octet * 10 + d;
    if (octet > 255) return -1;
    digits++;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** The IPv4 address as an unsigned 32-bit integer, or -1 when s is not a strict dotted quad. */
export function ipv4ToInt(s: string): number {
  return parseIpv4Range(s, 0, s.length);
}

/** Dotted-quad text of an unsigned 32-bit integer. */
export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The eight 16-bit groups of the IPv6 address in s[start, end), or null. A trailing dotted IPv4
 * fills the last two groups.
 */
export function parseIpv6Groups(s: string, start: number, end: number): number[] | null {
  const head: number[] = [];
  const tail: number[] = [];
  let out = head;
  let seenDouble = false;
  let i = start;
  if (end - start < 2) return null;
  if (s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return null;
    seenDouble = true;
    out = tail;
    i += 2;
    if (i === end) return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  for (;;) {
    // One group (or a trailing dotted IPv4) starting at i.
    let j = i;
    let value = 0;
    let isV4 = false;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === COLON) break;
      if (c === DOT) {
        isV4 = true;
        break;
      }
      const h = hexDigit(c);
      if (h < 0 || j - i >= 4) return null;
      value = value * 16 + h;
      j++;
    }
    if (isV4) {
      const v4 = parseIpv4Range(s, i, end);
      if (v4 < 0) return null;
      out.push(Math.floor(v4 / 65536), v4 & 0xffff);
      break;
    }
    if (j === i) return null;
    out.push(value);
    if (j === end) break;
    // s[j] is a colon.
    if (j + 1 < end && s.charCodeAt(j + 1) === COLON) {
      if (seenDouble) return null;
      seenDouble = true;
      out = tail;
      i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return null;
    }
  }
  const n = head.length + tail.length;
  if (seenDouble ? n > 7 : n !== 8) return null;
  const groups = head;
  for (let k = n; k < 8; k++) groups.push(0);
  for (let k = 0; k < tail.length; k++) groups[8 - tail.length + k] = tail[k]!;
  return groups;
}

/** RFC 5952 text of eight 16-bit groups. */
export function formatIpv6Groups(g: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed
  for (let k = 0; k < 8; ) {
    if (g[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && g[e] === 0) e++;
    if (e - k > bestLen) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += k === 0 ? '::' : ':';
      k += bestLen - 1;
      continue;
    }
    out += g[k]!.toString(16);
    if (k < 7) out += ':';
  }
  return out;
}

function groupsToWords(g: readonly number[]): [number, number, number, number] {
  return [
    (g[0]! * 65536 + g[1]!) >>> 0,
    (g[2]! * 65536 + g[3]!) >>> 0,
    (g[4]! * 65536 + g[5]!) >>> 0,
    (g[6]! * 65536 + g[7]!) >>> 0,
  ];
}

/** Eight 16-bit groups of four 32-bit words. */
export function wordsToGroups(w: readonly number[]): number[] {
  const g: number[] = [];
  for (let k = 0; k < 4; k++) g.push(w[k]! >>> 16, w[k]! & 0xffff);
  return g;
}

function isMapped(g: readonly number[]): boolean {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
}

/** Parse an IPv4 or IPv6 address to its canonical form; null when s is not an address. */
export function parseIp(s: string): ParsedIp | null {
  const v4 = parseIpv4Range(s, 0, s.length);
  if (v4 >= 0) {
    return { version: 4, text: s, v4 };
  }
  if (s.indexOf(':') < 0) return null;
  const g = parseIpv6Groups(s, 0, s.length);
  if (g === null) return null;
  if (isMapped(g)) {
    const n = (g[6]! * 65536 + g[7]!) >>> 0;
    return { version: 4, text: intToIpv4(n), v4: n };
  }
  return { version: 6, text: formatIpv6Groups(g), words: groupsToWords(g) };
}

/** The canonical text of an address, or null. Canonical IPv4 input is returned as is. */
export function canonicalIp(s: string): string | null {
  if (parseIpv4Range(s, 0, s.length) >= 0) return s;
  return parseIp(s)?.text ?? null;
}

/** Text of an IPv6 address given as four 32-bit words. */
export function wordsToIpv6(w: readonly number[]): string {
  return formatIpv6Groups(wordsToGroups(w));
}

/** -1, 0 or 1 as a is below, equal to or above b (both four 32-bit words). */
export function compareWords(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The mask of the top `bits` bits of a 32-bit word, as an unsigned integer (0 ≤ bits ≤ 32). */
export function maskOf(bits: number): number {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

export interface ParsedPrefixV4 {
  readonly version: 4;
  /** Canonical "network/length". */
  readonly text: string;
  readonly length: number;
  /** The network address as an unsigned 32-bit integer (host bits zero). */
  readonly v4: number;
}

export interface ParsedPrefixV6 {
  readonly version: 6;
  readonly text: string;
  readonly length: number;
  /** The network address as four 32-bit words (host bits zero). */
  readonly words: readonly [number, number, number, number];
}

export type ParsedPrefix = ParsedPrefixV4 | ParsedPrefixV6;

export type PrefixResult = { ok: true; prefix: ParsedPrefix } | { ok: false; reason: string };

export interface ParsePrefixOptions {
  /**
   * What to do when bits below the prefix length are set ("192.0.2.1/24"): 'reject' (the default,
   * because in hand-written configuration it is usually a typo) or 'clear' (zero them, for data files).
   */
  readonly hostBits?: 'reject' | 'clear';
}

/**
 * Parse "192.0.2.0/24" or "2001:db8::/32". A bare address is a full-length prefix (/32 or /128).
 * An IPv4-mapped IPv6 prefix of length ≥ 96 becomes the IPv4 prefix it covers. Host bits set are an
 * error unless options.hostBits is 'clear'. Never throws; the reason says what is wrong.
 */
export function parsePrefix(s: string, options: ParsePrefixOptions = {}): PrefixResult {
  const slash = s.indexOf('/');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  let length: number;
  if (slash < 0) length = -1;
  else {
    const lenText = s.slice(slash + 1);
    if (!/^(?:0|[1-9]\d{0,2})$/.test(lenText)) return { ok: false, reason: `invalid prefix length in "${s}"` };
    length = Number(lenText);
  }
  const v4 = parseIpv4Range(addrText, 0, addrText.length);
  if (v4 >= 0) {
    if (length < 0) length = 32;
    if (length > 32) return { ok: false, reason: `prefix length ${length} is over 32 in "${s}"` };
    return finishV4(s, v4, length, options);
  }
  const g = addrText.includes(':') ? parseIpv6Groups(addrText, 0, addrText.length) : null;
  if (g === null) return { ok: false, reason: `invalid address in prefix "${s}"` };
  if (length < 0) length = 128;
  if (length > 128) return { ok: false, reason: `prefix length ${length} is over 128 in "${s}"` };
  if (isMapped(g) && length >= 96) return finishV4(s, (g[6]! * 65536 + g[7]!) >>> 0, length - 96, options);
  const words = groupsToWords(g);
  const net: [number, number, number, number] = [0, 0, 0, 0];
  let hostBitsSet = false;
  for (let k = 0; k < 4; k++) {
    const m = maskOf(length - 32 * k);
    net[k] = (words[k]! & m) >>> 0;
    if (net[k] !== words[k]) hostBitsSet = true;
  }
  if (hostBitsSet && options.hostBits !== 'clear') {
    return { ok: false, reason: `host bits set in "${s}" (network is ${wordsToIpv6(net)}/${length})` };
  }
  return { ok: true, prefix: { version: 6, text: `${wordsToIpv6(net)}/${length}`, length, words: net } };
}

function finishV4(s: string, addr: number, length: number, options: ParsePrefixOptions): PrefixResult {
  const net = (addr & maskOf(length)) >>> 0;
  if (net !== addr && options.hostBits !== 'clear') {
    return { ok: false, reason: `host bits set in "${s}" (network is ${intToIpv4(net)}/${length})` };
  }
  return { ok: true, prefix: { version: 4, text: `${intToIpv4(net)}/${length}`, length, v4: net } };
}

/** The IPv4 /16 block number (0–65535) of an unsigned 32-bit address. */
export function ipv4Slash16(v4: number): number {
  return v4 >>> 16;
}
