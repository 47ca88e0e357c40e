import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { MAX_RAW_KEPT } from '../../domain/event.js';

/** Lines longer than this are rejected without ever being held whole in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type Line =
  | { readonly kind: 'text'; readonly number: number; readonly text: string; readonly lastWithoutNewline: boolean }
  | { readonly kind: 'bad-utf8'; readonly number: number; readonly raw: string }
  | { readonly kind: 'oversized'; readonly number: number; readonly bytes: number; readonly head: string };

export interface LineOptions {
  readonly maxLineBytes?: number;
  readonly onProgress?: (done: number, total: number | null) => void;
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * The lines of a file, split on "\n" by hand (faster than node:readline and able to refuse a huge
 * line while it streams past). Memory stays at one chunk plus at most maxLineBytes, whatever the
 * file size. Blank lines are skipped but counted in line numbers; a trailing "\r" is dropped.
 */
export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const total = options.onProgress ? (await stat(path)).size : null;
  let number = 0;
  let done = 0;
  let parts: Buffer[] = [];
  let partLength = 0;
  let oversized = false;
  let head: Buffer | null = null;

  function finish(last: Buffer, lastWithoutNewline: boolean): Line | null {
    number++;
    if (oversized) {
      const bytes = partLength + last.length;
      const line: Line = { kind: 'oversized', number, bytes, head: (head ?? Buffer.alloc(0)).toString('utf8') };
      parts = [];
      partLength = 0;
      oversized = false;
      head = null;
      return line;
    }
    let buf = last;
    if (parts.length > 0) {
      parts.push(last);
      buf = Buffer.concat(parts, partLength + last.length);
      parts = [];
      partLength = 0;
    }
    if (buf.length > max) return { kind: 'oversized', number, bytes: buf.length, head: buf.subarray(0, MAX_RAW_KEPT).toString('utf8') };
    if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
    if (isBlank(buf)) return null;
    if (!isUtf8(buf)) return { kind: 'bad-utf8', number, raw: buf.subarray(0, MAX_RAW_KEPT * 2).toString('utf8') };
    return { kind: 'text', number, text: buf.toString('utf8'), lastWithoutNewline };
  }

  function carry(piece: Buffer): void {
    if (oversized) {
      partLength += piece.length;
      return;
    }
    if (partLength + piece.length > max) {
      // keep only the beginning for the reject's raw text
      const all = parts.length > 0 ? Buffer.concat([...parts, piece]) : piece;
      head = Buffer.from(all.subarray(0, MAX_RAW_KEPT));
      oversized = true;
      parts = [];
      partLength += piece.length;
      return;
    }
    // copy: the stream may reuse its chunk buffer
    parts.push(Buffer.from(piece));
    partLength += piece.length;
  }

  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        if (pos < chunk.length) carry(chunk.subarray(pos));
        break;
      }
      const line = finish(chunk.subarray(pos, nl), false);
      if (line !== null) yield line;
      pos = nl + 1;
    }
    done += chunk.length;
    options.onProgress?.(done, total);
  }
  if (partLength > 0 || oversized) {
    const line = finish(Buffer.alloc(0), true);
    if (line !== null) yield line;
  }
}
