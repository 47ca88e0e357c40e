import { truncateRaw } from '../../domain/event.js';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { AttackState } from './attack-state.js';
import { mapIncident } from './incident-record.js';
import type { IncidentContext } from './incident-record.js';
import { mapJsonRecord } from './json-record.js';
import { MAX_LINE_BYTES, readLines } from './lines.js';
import type { Line } from './lines.js';
import type { Mapped } from './mapped.js';
import { RecordReject } from './record-reject.js';

export const FORMAT = 'dionaea-incident';

/**
 * dionaea's streaming JSON-lines output, both kinds auto-detected per line:
 * log_incident (every incident: {"timestamp", "name", "origin", "data"}) and
 * log_json (one line per finished connection: {"connection", "src_ip", …}).
 * Reads line by line with bounded memory; every bad line — broken JSON, wrong types, non-UTF-8
 * bytes, a line over 1 MiB, a cut-off last line — becomes a reject with its line number.
 */
export const dionaeaIncidentReader: HoneypotReader = {
  format: FORMAT,
  description: 'dionaea log_incident / log_json JSON lines (incidents, or one record per connection)',
  read(path: string, options?: ReadOptions): AsyncIterable<ReadItem> {
    return readIncidents(path, options ?? {});
  },
};

function reject(file: string, line: number, reason: string, raw: string): ReadItem {
  return { kind: 'reject', reject: { format: FORMAT, source: file, line, row: null, reason, raw: truncateRaw(raw) } };
}

function mapText(text: string, ctx: IncidentContext): Mapped {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new RecordReject(`invalid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RecordReject('the line is JSON but not an object');
  const record = parsed as Record<string, unknown>;
  if (record.origin !== undefined) return mapIncident(record, ctx);
  if (record.connection !== undefined && record.src_ip !== undefined) return mapJsonRecord(record, ctx.sensor);
  throw new RecordReject('neither a log_incident record (origin, data) nor a log_json record (connection, src_ip)');
}

function mapLine(file: string, line: Line, ctx: IncidentContext): ReadItem {
  if (line.kind === 'bad-utf8') return reject(file, line.number, 'the line is not valid UTF-8', line.raw);
  if (line.kind === 'oversized') return reject(file, line.number, `the line is ${line.bytes} bytes long (limit ${MAX_LINE_BYTES}); not read`, line.head);
  try {
    const m = mapText(line.text, ctx);
    if (m.kind === 'ignored') return { kind: 'ignored', ignored: { kind: m.ignored } };
    return { kind: 'event', event: { ...m.event, format: FORMAT, ref: { file, line: line.number, row: null } } };
  } catch (e) {
    if (!(e instanceof RecordReject)) throw e;
    const reason = line.lastWithoutNewline ? `last line has no newline (file cut short?): ${e.reason}` : e.reason;
    return reject(file, line.number, reason, line.text);
  }
}

async function* readIncidents(file: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const ctx: IncidentContext = { sensor: options.sensor ?? 'dionaea', state: new AttackState() };
  const lineOptions = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
  for await (const line of readLines(file, lineOptions)) yield mapLine(file, line, ctx);
}
