/**
 * Query encoding and guarded reply decoding on top of dns-packet.
 */
import dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { checkWire, type WireLimits } from './wire-check.js';
import { canonicalName } from './names.js';

export type { DecodedPacket };

/** The question the resolver asks; only A is needed for the study, NS-address lookups also use A. */
export interface Question {
  readonly name: string;
  readonly type: 'A' | 'AAAA';
}

/** Encodes a query with RD off (iterative resolution) and no EDNS. */
export function encodeQuery(id: number, q: Question): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ type: q.type, class: 'IN', name: q.name }],
  });
}

export type DecodeOutcome = { ok: true; packet: DecodedPacket } | { ok: false; reason: string };

/** Pre-checks then decodes; never throws. */
export function decodeMessage(buf: Uint8Array, limits: WireLimits): DecodeOutcome {
  const problem = checkWire(buf, limits);
  if (problem !== null) return { ok: false, reason: `malformed reply: ${problem}` };
  try {
    const packet = dnsPacket.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
    return { ok: true, packet };
  } catch (e) {
    return { ok: false, reason: `malformed reply: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Why a decoded reply does not answer `q`, or null when it does. */
export function replyMismatch(packet: DecodedPacket, q: Question): string | null {
  if (packet.type !== 'response') return 'message is not a response (QR bit clear)';
  const qs = packet.questions ?? [];
  if (qs.length !== 1) return `reply carries ${qs.length} questions, expected 1`;
  const rq = qs[0];
  if (rq === undefined) return 'reply without question';
  if (canonicalName(rq.name) !== canonicalName(q.name) || rq.type !== q.type || (rq.class ?? 'IN') !== 'IN') {
    return `reply question ${rq.name}/${rq.type} does not match ${q.name}/${q.type}`;
  }
  return null;
}

/** Reads the 16-bit message ID without decoding. */
export function messageId(buf: Uint8Array): number {
  return ((buf[0] as number) << 8) | (buf[1] as number);
}

/** True when the TC (truncated) bit is set. */
export function isTruncatedHeader(buf: Uint8Array): boolean {
  return buf.length >= 4 && ((buf[2] as number) & 0x02) !== 0;
}

/** True when the QR (response) bit is set. */
export function isResponseHeader(buf: Uint8Array): boolean {
  return buf.length >= 3 && ((buf[2] as number) & 0x80) !== 0;
}
