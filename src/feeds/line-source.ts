/**
 * Splits feed bytes into numbered lines, in memory or streamed from a file, so that every reader
 * handles the same hostile input the same way: a line that is not UTF-8 or is absurdly long
 * becomes a line with an error instead of a crash or a silent replacement character.
 */
import { createReadStream } from 'node:fs';

/** Longer lines are cut: the longest real ET botcc rule line is a few ten thousand characters. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface SourceLine {
  /** 1-based. */
  readonly no: number;
  /** Decoded text without the line break; for a bad line, a lossy decoding for the reject's raw field. */
  readonly text: string;
  /** Set when the line cannot be trusted as text. */
  readonly error?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false });

function toLine(no: number, bytes: Uint8Array, cut: number): SourceLine {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const body = bytes.subarray(0, end);
  if (cut > 0) {
    return { no, text: lossy.decode(body.subarray(0, 4096)), error: `line longer than ${MAX_LINE_BYTES} bytes (${MAX_LINE_BYTES + cut} or more)` };
  }
  try {
    // The fatal decoder also strips a leading BOM, which some Windows-made lists carry.
    return { no, text: decoder.decode(body) };
  } catch {
    const at = firstInvalidUtf8(body);
    return { no, text: lossy.decode(body), error: `not valid UTF-8 (byte 0x${(body[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at})` };
  }
}

/** Offset of the first byte that breaks UTF-8 (lead byte or missing continuation); a linear scan. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return 0;
}

/** Lines of an in-memory text or byte buffer. A final line without a line break counts; a final empty one does not. */
export function* linesOfBuffer(input: string | Uint8Array): Generator<SourceLine> {
  if (typeof input === 'string') {
    const parts = input.split('\n');
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    let no = 0;
    for (const p of parts) {
      no++;
      const text = p.endsWith('\r') ? p.slice(0, -1) : p;
      yield no === 1 && text.startsWith('\uFEFF') ? { no, text: text.slice(1) } : { no, text };
    }
    return;
  }
  let start = 0;
  let no = 0;
  while (start < input.length) {
    let nl = input.indexOf(0x0a, start);
    if (nl < 0) nl = input.length;
    no++;
    const len = nl - start;
    const cut = len > MAX_LINE_BYTES ? len - MAX_LINE_BYTES : 0;
    yield toLine(no, input.subarray(start, cut > 0 ? start + MAX_LINE_BYTES : nl), cut);
    start = nl + 1;
  }
}

/** Lines of a file, streamed: memory stays bounded by MAX_LINE_BYTES whatever the file holds. */
export async function* linesOfFile(path: string): AsyncGenerator<SourceLine> {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let cut = 0;
  let no = 0;
  const flush = (): SourceLine => {
    no++;
    const line = toLine(no, Buffer.concat(pending, pendingLen), cut);
    pending = [];
    pendingLen = 0;
    cut = 0;
    return line;
  };
  const append = (chunk: Buffer): void => {
    const room = MAX_LINE_BYTES - pendingLen;
    if (chunk.length <= room) {
      pending.push(chunk);
      pendingLen += chunk.length;
    } else {
      if (room > 0) {
        pending.push(chunk.subarray(0, room));
        pendingLen += room;
      }
      cut += chunk.length - Math.max(room, 0);
    }
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        append(chunk.subarray(start));
        break;
      }
      append(chunk.subarray(start, nl));
      yield flush();
      start = nl + 1;
    }
  }
  if (pendingLen > 0 || cut > 0) yield flush();
}
