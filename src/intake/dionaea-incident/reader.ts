import { truncateRaw } from '../../domain/event.js';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { AttackState } from './attack-state.js';
import { mapIncident } from './incident-record.js';
import type { IncidentContext } from './incident-record.js';
import { mapJsonRecord } from './json-record.js';
import { MAX_LINE_BYTES, readLines } from './lines.js';
import type { Line } from './lines.js';
import type { Mapped, MappedPending } from './mapped.js';
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

/** How long an unlinked outbound connection waits for its dionaea.connection.link. */
const LINK_WINDOW_LINES = 256;
const MAX_PENDING = 64;

interface Pending {
  readonly line: number;
  readonly mapped: MappedPending;
}

function toItem(file: string, line: number, m: Exclude<Mapped, { kind: 'pending' }>): ReadItem {
  if (m.kind === 'ignored') return { kind: 'ignored', ignored: { kind: m.ignored } };
  return { kind: 'event', event: { ...m.event, format: FORMAT, ref: { file, line, row: null } } };
}

function mapLine(file: string, line: Line, ctx: IncidentContext): ReadItem | Pending {
  if (line.kind === 'bad-utf8') return reject(file, line.number, 'the line is not valid UTF-8', line.raw);
  if (line.kind === 'oversized') return reject(file, line.number, `the line is ${line.bytes} bytes long (limit ${MAX_LINE_BYTES}); not read`, line.head);
  try {
    const m = mapText(line.text, ctx);
    if (m.kind === 'pending') return { line: line.number, mapped: m };
    return toItem(file, line.number, m);
  } catch (e) {
    if (!(e instanceof RecordReject)) throw e;
    const reason = line.lastWithoutNewline ? `last line has no newline (file cut short?): ${e.reason}` : e.reason;
    return reject(file, line.number, reason, line.text);
  }
}

/** Finish a held-back connection with the attack the state now names for it (its own, if no link came). */
function release(file: string, p: Pending, ctx: IncidentContext): ReadItem {
  return toItem(file, p.line, p.mapped.finish(ctx.state.get(p.mapped.id) ?? p.mapped.own));
}

async function* readIncidents(file: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const ctx: IncidentContext = { sensor: options.sensor ?? 'dionaea', state: new AttackState() };
  const lineOptions = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
  let pending: Pending[] = [];
  for await (const line of readLines(file, lineOptions)) {
    const item = mapLine(file, line, ctx);
    if ('mapped' in item) {
      pending.push(item);
    } else {
      yield item;
      if (pending.length > 0 && item.kind === 'ignored' && item.ignored.kind === 'dionaea.connection.link') {
        // a link may have named the attack of a held-back connection
        const still: Pending[] = [];
        for (const p of pending) {
          if (ctx.state.get(p.mapped.id) !== p.mapped.own) yield release(file, p, ctx);
          else still.push(p);
        }
        pending = still;
      }
    }
    while (pending.length > 0 && (pending.length > MAX_PENDING || line.number - pending[0]!.line > LINK_WINDOW_LINES)) {
      yield release(file, pending.shift()!, ctx);
    }
  }
  for (const p of pending) yield release(file, p, ctx);
}
