/**
 * Drives a line-oriented feed parser over text (sync) or a file (streamed), so each reader is
 * only a function that says what one line holds.
 */
import { stat } from 'node:fs/promises';
import type { FeedSnapshot } from '../domain/feed-entry.js';
import { linesOfBuffer, linesOfFile, type SourceLine } from './line-source.js';
import type { FeedReadOptions } from './read-options.js';
import { SnapshotBuilder } from './snapshot-builder.js';

/**
 * Reads one non-blank, decodable line. Returns 'comment' for comment, column-header and metadata
 * lines; otherwise it is a data line and the parser must report each of its items through
 * `b.entry`, `b.reject` or `b.skip` (at least one).
 */
export type LineParser = (text: string, no: number, b: SnapshotBuilder) => 'comment' | 'data';

/** Makes a fresh parser per file: parsers may keep layout state learnt from the header. */
export type LineParserFactory = () => LineParser;

export function feedLine(line: SourceLine, parse: LineParser, b: SnapshotBuilder): void {
  if (line.error !== undefined) {
    b.dataLine();
    b.reject(line.no, line.error, line.text);
    return;
  }
  if (line.text.trim() === '') {
    b.blankLine();
    return;
  }
  const before = b.itemCount();
  const kind = parse(line.text, line.no, b);
  if (kind === 'comment') {
    b.commentLine(line.text);
    return;
  }
  b.dataLine();
  if (b.itemCount() === before) b.reject(line.no, 'line yielded nothing (reader bug)', line.text);
}

/** Parses in-memory text or bytes. */
export function parseLines(factory: LineParserFactory, format: string, input: string | Uint8Array, opts: FeedReadOptions = {}): FeedSnapshot {
  const b = new SnapshotBuilder(opts.source ?? '<text>', format, opts);
  const parse = factory();
  for (const line of linesOfBuffer(input)) feedLine(line, parse, b);
  return b.finish(null);
}

/** Streams a file; throws only when the file cannot be opened or read. */
export async function readLines(factory: LineParserFactory, format: string, path: string, opts: FeedReadOptions = {}): Promise<FeedSnapshot> {
  const st = await stat(path);
  const b = new SnapshotBuilder(opts.source ?? path, format, opts);
  const parse = factory();
  for await (const line of linesOfFile(path)) feedLine(line, parse, b);
  return b.finish(st.mtime);
}
