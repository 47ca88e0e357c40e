/**
 * A structural check of a DNS message before dns-packet decodes it. dns-packet trusts its
 * input more than a resolver facing hostile servers may, so this walk bounds every name
 * (compression pointers strictly backwards, limited jumps, 255 octets), every record
 * (RDATA inside the message, A = 4 and AAAA = 16 octets, a size cap) and the message itself.
 */

export interface WireLimits {
  /** Largest message accepted at all (UDP replies are capped lower by the caller). */
  readonly maxMessageBytes: number;
  /** Largest RDATA of any single record. */
  readonly maxRdataBytes: number;
}

export const DEFAULT_WIRE_LIMITS: WireLimits = { maxMessageBytes: 65535, maxRdataBytes: 2048 };

/** A name can have at most 127 labels, so more jumps than this is a loop or an attack. */
const MAX_POINTER_JUMPS = 64;
const HEADER_BYTES = 12;

const TYPE_A = 1;
const TYPE_AAAA = 28;
/** Record types whose RDATA holds names, with the offsets (from RDATA start) of those names. */
const NAME_RDATA: ReadonlyMap<number, 'one' | 'soa' | 'mx' | 'srv'> = new Map([
  [2, 'one'], // NS
  [5, 'one'], // CNAME
  [12, 'one'], // PTR
  [39, 'one'], // DNAME
  [6, 'soa'],
  [15, 'mx'],
  [33, 'srv'],
]);

class WireError extends Error {}

/**
 * Returns null when the message is structurally sound, else the reason it is rejected.
 * Never throws.
 */
export function checkWire(buf: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS): string | null {
  try {
    walkMessage(buf, limits);
    return null;
  } catch (e) {
    if (e instanceof WireError) return e.message;
    return `unexpected failure in wire check: ${String(e)}`;
  }
}

function walkMessage(buf: Uint8Array, limits: WireLimits): void {
  if (buf.length > limits.maxMessageBytes) throw new WireError(`oversized message: ${buf.length} bytes > ${limits.maxMessageBytes}`);
  if (buf.length < HEADER_BYTES) throw new WireError(`message shorter than the 12-byte header (${buf.length} bytes)`);
  const qd = u16(buf, 4);
  const rrCount = u16(buf, 6) + u16(buf, 8) + u16(buf, 10);
  let pos = HEADER_BYTES;
  for (let i = 0; i < qd; i++) {
    pos = walkName(buf, pos, buf.length, 'question name');
    need(buf, pos, 4, 'question type/class');
    pos += 4;
  }
  for (let i = 0; i < rrCount; i++) {
    pos = walkName(buf, pos, buf.length, `record ${i + 1} owner name`);
    need(buf, pos, 10, `record ${i + 1} header`);
    const type = u16(buf, pos);
    const rdlen = u16(buf, pos + 8);
    pos += 10;
    if (rdlen > limits.maxRdataBytes) throw new WireError(`oversized record ${i + 1}: RDATA of ${rdlen} bytes > ${limits.maxRdataBytes}`);
    need(buf, pos, rdlen, `record ${i + 1} RDATA of ${rdlen} bytes`);
    if (type === TYPE_A && rdlen !== 4) throw new WireError(`record ${i + 1}: A record with ${rdlen} bytes of RDATA, expected 4`);
    if (type === TYPE_AAAA && rdlen !== 16) throw new WireError(`record ${i + 1}: AAAA record with ${rdlen} bytes of RDATA, expected 16`);
    walkRdataNames(buf, type, pos, pos + rdlen, i + 1);
    pos += rdlen;
  }
}

function walkRdataNames(buf: Uint8Array, type: number, start: number, end: number, n: number): void {
  const shape = NAME_RDATA.get(type);
  if (shape === undefined) return;
  const what = `record ${n} RDATA name`;
  if (shape === 'one') {
    walkName(buf, start, end, what);
  } else if (shape === 'mx') {
    walkName(buf, start + 2, end, what);
  } else if (shape === 'srv') {
    walkName(buf, start + 6, end, what);
  } else {
    const afterMname = walkName(buf, start, end, what);
    const afterRname = walkName(buf, afterMname, end, what);
    if (afterRname + 20 > end) throw new WireError(`record ${n}: SOA RDATA too short`);
  }
}

/**
 * Walks one possibly compressed name starting at `start`, whose uncompressed part must end
 * by `end`. Returns the offset just after the name as stored at `start`.
 */
function walkName(buf: Uint8Array, start: number, end: number, what: string): number {
  let pos = start;
  // Pointers must go strictly before the start of the segment being read; this alone makes
  // every walk terminate, and the jump cap bounds the work.
  let segmentStart = start;
  let after = -1;
  let jumps = 0;
  let octets = 1;
  for (;;) {
    const limit = after < 0 ? end : buf.length;
    if (pos >= limit) throw new WireError(`${what} runs past its end`);
    const len = buf[pos] as number;
    if (len === 0) {
      if (after < 0) after = pos + 1;
      return after;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= limit) throw new WireError(`${what}: truncated compression pointer`);
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] as number);
      if (target >= segmentStart) throw new WireError(`${what}: compression pointer at ${pos} to ${target} does not point backwards (loop)`);
      if (target < HEADER_BYTES) throw new WireError(`${what}: compression pointer into the header`);
      if (++jumps > MAX_POINTER_JUMPS) throw new WireError(`${what}: more than ${MAX_POINTER_JUMPS} compression pointers`);
      if (after < 0) after = pos + 2;
      pos = target;
      segmentStart = target;
      continue;
    }
    if (kind !== 0) throw new WireError(`${what}: unsupported label type 0x${len.toString(16)}`);
    if (pos + 1 + len > limit) throw new WireError(`${what}: label runs past its end`);
    octets += len + 1;
    if (octets > 255) throw new WireError(`${what}: longer than 255 octets`);
    for (let i = pos + 1; i <= pos + len; i++) {
      if (buf[i] === 0x2e) throw new WireError(`${what}: label contains a dot`);
    }
    pos += 1 + len;
  }
}

function u16(buf: Uint8Array, pos: number): number {
  return ((buf[pos] as number) << 8) | (buf[pos + 1] as number);
}

function need(buf: Uint8Array, pos: number, n: number, what: string): void {
  if (pos + n > buf.length) throw new WireError(`${what} runs past the end of the message`);
}
