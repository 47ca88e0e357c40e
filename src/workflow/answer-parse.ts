import { parseCsvRecords, type CsvRecord } from './csv-records.js';
import { isTrackingIdShape } from './identifiers.js';

export const ANSWER_RESULTS = ['identified', 'not-found', 'not-our-customer'] as const;
export type AnswerResult = (typeof ANSWER_RESULTS)[number];

/** One well-formed answer row. `row` is the JSON array position (1-based) or the CSV line number. */
export interface AnswerRow {
  readonly row: number;
  readonly trackingId: string;
  readonly result: AnswerResult;
  readonly subscriberKey: string | null;
}

export interface RejectedAnswer {
  /** 1-based JSON array position or CSV line number; 0 for the upload as a whole. */
  readonly row: number;
  /** As given (shortened and made printable), or null when there was none. */
  readonly trackingId: string | null;
  readonly reason: string;
}

export type ParsedAnswers = { readonly rows: AnswerRow[]; readonly rejected: RejectedAnswer[]; readonly total: number } | { readonly tooLarge: string };

export const MAX_KEY_LENGTH = 128;
export const ANSWERS_CSV_HEADER = ['tracking_id', 'result', 'subscriber_key'] as const;

/** parseCsvRecords's default: one bad quote cannot swallow a file. */
const CSV_MAX_RECORD_CHARS = 4096;

/**
 * Parses and checks an answer upload on its own, before any database look-up: shape, result, key,
 * duplicates, size. Every bad row gets one reason; good rows are returned even when others are bad
 * (the caller applies nothing unless all are good).
 */
export function parseAnswers(body: string | Uint8Array, contentType: string, limits: { maxRows: number; maxBytes: number }): ParsedAnswers {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (bytes > limits.maxBytes) return { tooLarge: `the upload is ${bytes} bytes; at most ${limits.maxBytes} are accepted` };
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return whole('the upload is not valid UTF-8 text');
    }
  }
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && type !== 'text/csv') return whole(`content type ${JSON.stringify(type.slice(0, 60))} is not accepted; send application/json or text/csv`);
  const out = new Checker(limits.maxRows);
  const error = type === 'application/json' ? jsonRows(text, out) : csvRows(text, out);
  if (error !== null) return whole(error);
  if (out.total > limits.maxRows) return { tooLarge: `the upload has ${out.total} rows; at most ${limits.maxRows} are accepted` };
  if (out.total === 0) return whole('the upload holds no answers');
  return { rows: out.rows, rejected: out.rejected, total: out.total };
}

/**
 * Checks rows as the readers find them, without an intermediate row object per line. Past maxRows
 * rows are only counted: the upload is refused as too large, whatever they hold.
 */
class Checker {
  rows: AnswerRow[] = [];
  rejected: RejectedAnswer[] = [];
  total = 0;
  private firstRow = new Map<string, number>();

  constructor(private readonly maxRows: number) {}

  reset(): void {
    this.rows = [];
    this.rejected = [];
    this.total = 0;
    this.firstRow = new Map();
  }

  add(row: number, trackingId: unknown, result: unknown, subscriberKey: unknown, extraColumns: boolean): void {
    if (++this.total > this.maxRows) return;
    const problem = rowProblem(trackingId, result, subscriberKey, extraColumns);
    if (problem !== null) {
      this.rejected.push({ row, trackingId: typeof trackingId === 'string' ? shown64(trackingId) : null, reason: `malformed row: ${problem}` });
      return;
    }
    const id = trackingId as string;
    const earlier = this.firstRow.get(id);
    if (earlier !== undefined) {
      this.rejected.push({ row, trackingId: shown64(id), reason: `duplicate: this tracking ID is already answered in row ${earlier}` });
      return;
    }
    this.firstRow.set(id, row);
    const key = typeof subscriberKey === 'string' && subscriberKey !== '' ? subscriberKey : null;
    this.rows.push({ row, trackingId: id, result: result as AnswerResult, subscriberKey: key });
  }
}

function whole(reason: string): ParsedAnswers {
  return { rows: [], rejected: [{ row: 0, trackingId: null, reason }], total: 0 };
}

function rowProblem(trackingId: unknown, result: unknown, key: unknown, extraColumns: boolean): string | null {
  if (extraColumns) return `more than ${ANSWERS_CSV_HEADER.length} columns`;
  if (typeof trackingId !== 'string' || trackingId === '') return 'the tracking ID is missing';
  if (!isTrackingIdShape(trackingId)) return 'the tracking ID is not 22 to 64 URL-safe characters';
  if (result !== 'identified' && result !== 'not-found' && result !== 'not-our-customer') return `result must be one of ${ANSWER_RESULTS.join(', ')}`;
  if (key !== undefined && key !== null && typeof key !== 'string') return 'the subscriber key must be text';
  const k = typeof key === 'string' ? key : '';
  if (result === 'identified') {
    if (k === '') return 'an identified answer needs a subscriber key';
    if (k.length > MAX_KEY_LENGTH) return `the subscriber key is longer than ${MAX_KEY_LENGTH} characters`;
    if (!/^[\x21-\x7e]+$/.test(k)) return 'the subscriber key must be printable ASCII without spaces (an opaque pseudonym, e.g. an HMAC in hex)';
  } else if (k !== '') return `a subscriber key is given only with "identified", not with "${result}"`;
  return null;
}

function shown64(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

function jsonRows(text: string, out: Checker): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `invalid JSON: ${(e as Error).message.slice(0, 200)}`;
  }
  const list = Array.isArray(doc) ? doc : doc !== null && typeof doc === 'object' ? (doc as { answers?: unknown }).answers : undefined;
  if (!Array.isArray(list)) return 'the JSON must be { "answers": [ … ] }';
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const o = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
    out.add(i + 1, o['trackingId'], o['result'], o['subscriberKey'], false);
  }
  return null;
}

const HEADER_ERROR = `the first CSV line must be the header ${ANSWERS_CSV_HEADER.join(',')}`;

function csvRows(text: string, out: Checker): string | null {
  // Answer files hold no quotes: read line by line, fields by indexOf, which is most of the cost of
  // a large upload otherwise. Anything else (quotes, a bare CR, an endless line) is read by the
  // full RFC 4180 reader, with the same rows and line numbers.
  if (!text.includes('"')) {
    const fast = plainCsvRows(text, out);
    if (fast !== undefined) return fast;
    out.reset();
  }
  const parsed = parseCsvRecords(text);
  if ('error' in parsed) return `CSV cannot be read at line ${parsed.line}: ${parsed.error}`;
  const header = parsed.records[0]?.fields;
  if (header === undefined || !isHeader(header)) return HEADER_ERROR;
  for (let r = 1; r < parsed.records.length; r++) {
    const { line, fields } = parsed.records[r] as CsvRecord;
    out.add(line, fields[0]?.trim(), fields[1]?.trim(), fields[2]?.trim(), fields.length > 3);
  }
  return null;
}

function isHeader(fields: readonly string[]): boolean {
  return fields.map((h) => h.trim().toLowerCase()).join(',') === ANSWERS_CSV_HEADER.join(',');
}

/** parseCsvRecords's records for quote-free text, added as they are read; undefined where that reader must decide. */
function plainCsvRows(text: string, out: Checker): string | null | undefined {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  let header = true;
  while (i < s.length) {
    const eol = s.indexOf('\n', i);
    const end = eol === -1 ? s.length : eol;
    if (end - i > CSV_MAX_RECORD_CHARS) return undefined;
    const stop = end > i && s.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const l = s.slice(i, stop);
    i = end + 1;
    if (l.includes('\r')) return undefined;
    const n = line++;
    if (l === '') continue;
    if (header) {
      if (!isHeader(l.split(','))) return HEADER_ERROR;
      header = false;
      continue;
    }
    const c1 = l.indexOf(',');
    if (c1 === -1) {
      out.add(n, l.trim(), undefined, undefined, false);
      continue;
    }
    const c2 = l.indexOf(',', c1 + 1);
    if (c2 === -1) {
      out.add(n, l.slice(0, c1).trim(), l.slice(c1 + 1).trim(), undefined, false);
      continue;
    }
    const c3 = l.indexOf(',', c2 + 1);
    out.add(n, l.slice(0, c1).trim(), l.slice(c1 + 1, c2).trim(), l.slice(c2 + 1, c3 === -1 ? l.length : c3).trim(), c3 !== -1);
  }
  return header ? HEADER_ERROR : null;
}
