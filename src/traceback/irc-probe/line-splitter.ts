/**
 * Splits a TCP byte stream into lines. A line ends at CR, LF or CRLF (RFC 2812 §2.3.1 asks
 * clients to accept either alone), which may arrive in a later chunk than the line itself; empty
 * lines are dropped. Bytes are decoded as UTF-8 with replacement, because IRC fixes no encoding
 * and a probe must never throw on a server's bytes.
 */
export interface LineSplitter {
  /** The complete lines in this chunk, plus `overlong` once a line passes the byte limit. */
  push(chunk: Uint8Array): { lines: string[]; overlong: boolean };
  /** What is left without a line end (e.g. when the peer closes mid-line). */
  flush(): string | null;
  /** The first bytes of the pending partial line, for evidence. */
  peek(max: number): string;
}

const CR = 0x0d;
const LF = 0x0a;

export function createLineSplitter(maxLineBytes: number): LineSplitter {
  let pending: Buffer = Buffer.alloc(0);
  const decode = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  return {
    push(chunk) {
      const buf = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      const lines: string[] = [];
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i];
        if (c !== CR && c !== LF) continue;
        if (i > start) lines.push(decode(buf.subarray(start, i)));
        start = i + 1;
      }
      pending = buf.subarray(start);
      return { lines, overlong: pending.length > maxLineBytes };
    },
    flush() {
      const rest = pending.length > 0 ? decode(pending) : null;
      pending = Buffer.alloc(0);
      return rest;
    },
    peek(max) {
      return decode(pending.subarray(0, max));
    },
  };
}
