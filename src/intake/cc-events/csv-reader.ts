import { truncateRaw } from '../../domain/event.js';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { readLines } from '../read-lines.js';
import { CC_FIELDS, CC_REQUIRED, isExtensionField, toCcEvent } from './cc-record.js';
import { splitCsvLine } from './csv-line.js';

const FORMAT = 'cc-csv';
const KNOWN = new Set<string>(CC_FIELDS);

/**
 * cleancenter's own event format as CSV (docs/event-format.md): a header row naming the columns in
 * any order, then one event per row. A bad header rejects the file as one reject on line 1 and
 * stops: every row would be misread.
 */
export const ccEventsCsvReader: HoneypotReader = {
  format: FORMAT,
  description: 'cleancenter event format, CSV with a header row',
  read: (path: string, options?: ReadOptions) => readCsv(path, options ?? {}),
};

async function* readCsv(path: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const lineOptions = options.onProgress !== undefined ? { onProgress: options.onProgress } : {};
  const reject = (line: number, reason: string, raw: string): ReadItem => ({
    kind: 'reject',
    reject: { format: FORMAT, source: path, line, row: null, reason, raw },
  });
  let columns: string[] | null = null;
  for await (const batch of readLines(path, lineOptions)) {
    for (const line of batch) {
      if (!line.ok) {
        yield reject(line.line, columns === null ? `header: ${line.reason}` : line.reason, line.raw);
        if (columns === null) return;
        continue;
      }
      if (columns === null) {
        const header = checkHeader(line.text.replace(/^\uFEFF/, ''), options.sensor !== undefined);
        if (typeof header === 'string') {
          yield reject(line.line, `header: ${header}; the file was not read`, truncateRaw(line.text));
          return;
        }
        columns = header;
        yield { kind: 'ignored', ignored: { kind: 'csv header' } };
        continue;
      }
      if (line.text.trim() === '') {
        yield { kind: 'ignored', ignored: { kind: 'blank line' } };
        continue;
      }
      const cut = line.terminated ? '' : ' (last line has no line end: file cut off?)';
      const split = splitCsvLine(line.text);
      if (!split.ok) {
        yield reject(line.line, `${split.reason}${cut}`, truncateRaw(line.text));
        continue;
      }
      if (split.fields.length !== columns.length) {
        yield reject(line.line, `expected ${columns.length} fields as in the header, got ${split.fields.length}${cut}`, truncateRaw(line.text));
        continue;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) record[columns[i] ?? ''] = split.fields[i] ?? '';
      const r = toCcEvent(record, true, { format: FORMAT, file: path, line: line.line, defaultSensor: options.sensor });
      yield r.ok ? { kind: 'event', event: r.event } : reject(line.line, `${r.reason}${cut}`, truncateRaw(line.text));
    }
  }
}

/** The column names, or what is wrong with the header. */
function checkHeader(text: string, sensorGiven: boolean): string[] | string {
  const split = splitCsvLine(text);
  if (!split.ok) return split.reason;
  const names = split.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !KNOWN.has(n) && !isExtensionField(n));
  if (unknown.length > 0) {
    return `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n.slice(0, 40))).join(', ')} (known: ${CC_FIELDS.join(', ')}; x_* for a sensor's own)`;
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return `column "${n}" appears twice`;
    seen.add(n);
  }
  const required = sensorGiven ? CC_REQUIRED : [...CC_REQUIRED, 'sensor'];
  const missing = required.filter((n) => !seen.has(n));
  if (missing.length > 0) return `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  return names;
}
