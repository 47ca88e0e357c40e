import { parseCsvRecords } from './csv-records.js';
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
  const raw = type === 'application/json' ? jsonRows(text) : type === 'text/csv' ? csvRows(text) : { error: `content type ${JSON.stringify(type.slice(0, 60))} is not accepted; send application/json or text/csv` };
  if ('error' in raw) return whole(raw.error);
  if (raw.rows.length > limits.maxRows) return { tooLarge: `the upload has ${raw.rows.length} rows; at most ${limits.maxRows} are accepted` };
  if (raw.rows.length === 0) return whole('the upload holds no answers');

  const rows: AnswerRow[] = [];
  const rejected: RejectedAnswer[] = [];
  const firstRow = new Map<string, number>();
  for (const r of raw.rows) {
    const shown = typeof r.trackingId === 'string' ? shown64(r.trackingId) : null;
    const problem = rowProblem(r);
    if (problem !== null) {
      rejected.push({ row: r.row, trackingId: shown, reason: `malformed row: ${problem}` });
      continue;
    }
    const trackingId = r.trackingId as string;
    const earlier = firstRow.get(trackingId);
    if (earlier !== undefined) {
      rejected.push({ row: r.row, trackingId: shown, reason: `duplicate: this tracking ID is already answered in row ${earlier}` });
      continue;
    }
    firstRow.set(trackingId, r.row);
    const key = typeof r.subscriberKey === 'string' && r.subscriberKey !== '' ? r.subscriberKey : null;
    rows.push({ row: r.row, trackingId, result: r.result as AnswerResult, subscriberKey: key });
  }
  return { rows, rejected, total: raw.rows.length };
}

interface RawRow {
  readonly row: number;
  readonly trackingId: unknown;
  readonly result: unknown;
  readonly subscriberKey: unknown;
  readonly extraColumns?: boolean;
}

function whole(reason: string): ParsedAnswers {
  return { rows: [], rejected: [{ row: 0, trackingId: null, reason }], total: 0 };
}

function rowProblem(r: RawRow): string | null {
  if (r.extraColumns === true) return `more than ${ANSWERS_CSV_HEADER.length} columns`;
  if (typeof r.trackingId !== 'string' || r.trackingId === '') return 'the tracking ID is missing';
  if (!isTrackingIdShape(r.trackingId)) return 'the tracking ID is not 22 to 64 URL-safe characters';
  if (typeof r.result !== 'string' || !(ANSWER_RESULTS as readonly string[]).includes(r.result)) return `result must be one of ${ANSWER_RESULTS.join(', ')}`;
  const key = r.subscriberKey;
  if (key !== undefined && key !== null && typeof key !== 'string') return 'the subscriber key must be text';
  const k = typeof key === 'string' ? key : '';
  if (r.result === 'identified') {
    if (k === '') return 'an identified answer needs a subscriber key';
    if (k.length > MAX_KEY_LENGTH) return `the subscriber key is longer than ${MAX_KEY_LENGTH} characters`;
    if (!/^[\x21-\x7e]+$/.test(k)) return 'the subscriber key must be printable ASCII without spaces (an opaque pseudonym, e.g. an HMAC in hex)';
  } else if (k !== '') return `a subscriber key is given only with "identified", not with "${r.result}"`;
  return null;
}

function shown64(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

function jsonRows(text: string): { rows: RawRow[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message.slice(0, 200)}` };
  }
  const list = Array.isArray(doc) ? doc : doc !== null && typeof doc === 'object' ? (doc as { answers?: unknown }).answers : undefined;
  if (!Array.isArray(list)) return { error: 'the JSON must be { "answers": [ … ] }' };
  return {
    rows: list.map((item: unknown, i) => {
      const o = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
      return { row: i + 1, trackingId: o['trackingId'], result: o['result'], subscriberKey: o['subscriberKey'] };
    }),
  };
}

function csvRows(text: string): { rows: RawRow[] } | { error: string } {
  const parsed = parseCsvRecords(text);
  if ('error' in parsed) return { error: `CSV cannot be read at line ${parsed.line}: ${parsed.error}` };
  const header = parsed.records[0]?.fields.map((h) => h.trim().toLowerCase());
  if (header === undefined || header.join(',') !== ANSWERS_CSV_HEADER.join(',')) {
    return { error: `the first CSV line must be the header ${ANSWERS_CSV_HEADER.join(',')}` };
  }
  return {
    rows: parsed.records.slice(1).map(({ line, fields }) => ({
      row: line,
      trackingId: fields[0]?.trim(),
      result: fields[1]?.trim(),
      subscriberKey: fields[2]?.trim(),
      extraColumns: fields.length > 3,
    })),
  };
}
