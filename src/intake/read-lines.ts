import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { MAX_RAW_KEPT } from '../domain/event.js';

/** A physical line that is valid UTF-8 and not too long; `text` has no line end. */
export interface GoodLine {
  readonly ok: true;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  /** False only for a last line that ends without a line feed (a cut-off file, or an editor's habit). */
  readonly terminated: boolean;
}

/** A physical line that cannot be read as text; `raw` is already cut to MAX_RAW_KEPT. */
export interface BadLine {
  readonly ok: false;
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

export type Line = GoodLine | BadLine;

export interface ReadLinesOptions {
  /** Longer lines become a BadLine without ever being held whole. Default 1 MiB. */
  readonly maxLineBytes?: number;
  readonly onProgress?: (done: number, total: number | null) => void;
  /** Read size; small values only make tests exercise chunk boundaries. */
  readonly chunkBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const LF = 10;
const CR = 13;
// Enough bytes to fill MAX_RAW_KEPT characters even when every character takes 4 bytes.
const HEAD_BYTES = MAX_RAW_KEPT * 4;

/**
 * Streams a file as lines, in batches (one per read chunk) so that callers pay one await per
 * chunk rather than per line. Lines end at LF; a CR before it is dropped. Memory stays flat:
 * at most one chunk plus one unfinished line (capped at maxLineBytes) is held.
 * Throws only when the file cannot be opened or read.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line[]> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const total = (await stat(path)).size;
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let lineNo = 0;
  let done = 0;
  // The unfinished line carried over from earlier chunks.
  let carry: Buffer[] = [];
  let carryBytes = 0;
  // Set once the unfinished line passed maxLineBytes: from then on only its length is counted.
  let overlongHead: Buffer | null = null;

  const finish = (bytes: Buffer, terminated: boolean): Line => {
    lineNo++;
    if (overlongHead !== null) {
      const length = carryBytes + bytes.length;
      const head = overlongHead;
      overlongHead = null;
      return { ok: false, line: lineNo, reason: `line longer than ${maxLineBytes} bytes (${length} bytes)`, raw: cutRaw(head, length) };
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    const body = end === bytes.length ? bytes : bytes.subarray(0, end);
    if (!isUtf8(body)) {
      return { ok: false, line: lineNo, reason: 'not valid UTF-8', raw: cutRaw(body, body.length) };
    }
    return { ok: true, line: lineNo, text: body.toString('utf8'), terminated };
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    done += chunk.length;
    const batch: Line[] = [];
    let pos = 0;
    // Lines from the chunk's start (or once a carried line is done): all at once when possible.
    let wholeTried = false;
    for (;;) {
      if (!wholeTried && carryBytes === 0 && overlongHead === null) {
        wholeTried = true;
        pos = wholeLines(chunk, pos, batch);
      }
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      const piece = chunk.subarray(pos, nl);
      if (overlongHead !== null) {
        batch.push(finish(piece, true));
      } else if (carryBytes > 0) {
        carry.push(piece);
        const whole = Buffer.concat(carry, carryBytes + piece.length);
        carry = [];
        carryBytes = 0;
        batch.push(whole.length > maxLineBytes ? overlong(whole) : finish(whole, true));
      } else {
        batch.push(piece.length > maxLineBytes ? overlong(piece) : finish(piece, true));
      }
      carryBytes = 0;
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      const rest = chunk.subarray(pos);
      if (overlongHead !== null) {
        carryBytes += rest.length;
      } else if (carryBytes + rest.length > maxLineBytes) {
        overlongHead = Buffer.concat([...carry, rest]).subarray(0, HEAD_BYTES);
        carry = [];
        carryBytes += rest.length;
      } else {
        // Copy: a view would keep the whole read chunk alive.
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
      }
    }
    options.onProgress?.(done, total);
    if (batch.length > 0) yield batch;
  }
  if (overlongHead !== null || carryBytes > 0) {
    const last = overlongHead !== null ? EMPTY : Buffer.concat(carry, carryBytes);
    const line = overlongHead !== null ? finish(last, false) : last.length > maxLineBytes ? overlong(last) : finish(last, false);
    yield [line];
  }

  /**
   * The complete lines of chunk[pos..] decoded in one piece: when they are valid UTF-8 together and
   * shorter than the line limit together, each is too, and splitting the text at LF gives what
   * decoding line by line would (a LF byte is never part of a multi-byte character). Saves a
   * Buffer view, a UTF-8 check and a decode call per line. Returns where the unfinished rest
   * starts, or pos unchanged when the lines must go one by one (a bad or over-long line among them).
   */
  function wholeLines(chunk: Buffer, pos: number, batch: Line[]): number {
    const last = chunk.lastIndexOf(LF);
    if (last < pos) return pos;
    const region = chunk.subarray(pos, last);
    if (region.length > maxLineBytes || !isUtf8(region)) return pos;
    const text = region.toString('utf8');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      lineNo++;
      batch.push({ ok: true, line: lineNo, text: text.slice(start, end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end), terminated: true });
      if (nl < 0) return last + 1;
      start = nl + 1;
    }
  }

  function overlong(bytes: Buffer): Line {
    overlongHead = bytes.subarray(0, HEAD_BYTES);
    carryBytes = bytes.length;
    const line = finish(EMPTY, true);
    carryBytes = 0;
    return line;
  }
}

const EMPTY = Buffer.alloc(0);

/** The start of a line that is kept as a reject's raw text, marked like truncateRaw does. */
function cutRaw(head: Buffer, length: number): string {
  const text = head.subarray(0, HEAD_BYTES).toString('utf8');
  if (length <= HEAD_BYTES && text.length <= MAX_RAW_KEPT) return text;
  const kept = text.slice(0, MAX_RAW_KEPT);
  return `${kept}…[truncated, ${length} bytes in all]`;
}
