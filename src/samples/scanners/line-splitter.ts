import { createReadStream } from 'node:fs';

/** One line of a text file; text is null when the line was longer than the limit (it is skipped, not kept). */
export interface SplitLine {
  /** 1-based. */
  readonly line: number;
  readonly text: string | null;
  /** The first bytes of an over-long line, for the error report. */
  readonly head: string;
}

/**
 * Streams a file's lines with a length cap, so that a hostile list with a gigabyte-long line
 * cannot exhaust memory (readline would buffer the whole line). LF and CRLF both end a line.
 */
export async function* splitLines(path: string, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let lineNo = 0;
  const emit = (): SplitLine => {
    lineNo++;
    const buf = Buffer.concat(parts);
    const head = buf.subarray(0, 80).toString('utf8');
    const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
    const out = { line: lineNo, text: overflow ? null : buf.subarray(0, end).toString('utf8'), head };
    parts = [];
    size = 0;
    overflow = false;
    return out;
  };
  const keep = (b: Buffer): void => {
    if (overflow) return;
    if (size + b.length > maxLineBytes) {
      overflow = true;
      // Keep only a head for the report.
      parts.push(b.subarray(0, Math.max(0, 80 - size)));
      return;
    }
    parts.push(b);
    size += b.length;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let at = 0;
    for (let nl = chunk.indexOf(0x0a, at); nl >= 0; nl = chunk.indexOf(0x0a, at)) {
      keep(chunk.subarray(at, nl));
      yield emit();
      at = nl + 1;
    }
    if (at < chunk.length) keep(Buffer.from(chunk.subarray(at)));
  }
  if (size > 0 || overflow) yield emit();
}
