import { truncateRaw } from '../../domain/event.js';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { readLines } from '../read-lines.js';
import { toCcEvent } from './cc-record.js';

const FORMAT = 'cc-jsonl';

/** cleancenter's own event format as JSON Lines: one object per line (docs/event-format.md). */
export const ccEventsJsonlReader: HoneypotReader = {
  format: FORMAT,
  description: 'cleancenter event format, JSON Lines (one event object per line)',
  read: (path: string, options?: ReadOptions) => readJsonl(path, options ?? {}),
  readBatches: (path: string, options?: ReadOptions) => readJsonlBatches(path, options ?? {}),
};

async function* readJsonl(path: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  for await (const items of readJsonlBatches(path, options)) yield* items;
}

async function* readJsonlBatches(path: string, options: ReadOptions): AsyncGenerator<ReadItem[]> {
  const lineOptions = options.onProgress !== undefined ? { onProgress: options.onProgress } : {};
  const reject = (line: number, reason: string, raw: string): ReadItem => ({
    kind: 'reject',
    reject: { format: FORMAT, source: path, line, row: null, reason, raw },
  });
  for await (const batch of readLines(path, lineOptions)) {
    const items: ReadItem[] = [];
    for (const line of batch) {
      if (!line.ok) {
        items.push(reject(line.line, line.reason, line.raw));
        continue;
      }
      if (line.text.trim() === '') {
        items.push({ kind: 'ignored', ignored: { kind: 'blank line' } });
        continue;
      }
      const cut = line.terminated ? '' : ' (last line has no line end: file cut off?)';
      let parsed: unknown;
      try {
        parsed = JSON.parse(line.text);
      } catch (e) {
        items.push(reject(line.line, `invalid JSON: ${(e as Error).message}${cut}`, truncateRaw(line.text)));
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
        items.push(reject(line.line, `expected a JSON object, got ${kind}`, truncateRaw(line.text)));
        continue;
      }
      const r = toCcEvent(parsed as Record<string, unknown>, false, { format: FORMAT, file: path, line: line.line, defaultSensor: options.sensor });
      items.push(r.ok ? { kind: 'event', event: r.event } : reject(line.line, `${r.reason}${cut}`, truncateRaw(line.text)));
    }
    if (items.length > 0) yield items;
  }
}
