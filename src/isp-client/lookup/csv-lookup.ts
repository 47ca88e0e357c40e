import { readFileSync } from 'node:fs';
import { csvRecords } from './csv-records.js';
import { parseIp } from '../../domain/ip.js';
import { matchLease, type Lease } from './lease-match.js';
import { subscriberFrom, type LookupReject, type SubscriberLookup } from './types.js';

const REQUIRED = ['ip', 'customer_number'] as const;
const MAX_FIELD = 2000;

/**
 * Subscriber lookup from a CSV export: one row per assignment,
 * `ip,port_from,port_to,valid_from,valid_to,customer_number,email,postal_address,name,language,default_mail_unchanged`.
 * Loaded once into memory, indexed by canonical address. Bad rows are rejected with their line.
 */
export function loadCsvLookup(file: string): SubscriberLookup {
  const bytes = readFileSync(file);
  return csvLookupFromText(new TextDecoder('utf-8').decode(bytes), file);
}

export function csvLookupFromText(text: string, source: string): SubscriberLookup {
  const rejects: LookupReject[] = [];
  const reject = (line: number | null, reason: string): void => {
    rejects.push({ source, line, reason });
  };
  const records: { record: string[]; info: { lines: number } }[] = [];
  for (const r of csvRecords(text)) {
    if ('error' in r) reject(r.line, `not valid CSV: ${r.error}`);
    else records.push({ record: r.fields, info: { lines: r.line } });
  }
  const index = new Map<string, Lease[]>();
  const [head, ...rows] = records;
  if (head === undefined) return lookupOver(index, rejects);
  const columns = head.record.map((c) => c.trim().toLowerCase());
  for (const need of REQUIRED) if (!columns.includes(need)) reject(head.info.lines, `header has no ${need} column`);
  if (rejects.some((r) => r.reason.startsWith('header'))) return lookupOver(index, rejects);
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== columns.length) {
      reject(line, `has ${record.length} fields, the header has ${columns.length}`);
      continue;
    }
    if (record.some((f) => f.length > MAX_FIELD)) {
      reject(line, `a field is longer than ${MAX_FIELD} characters`);
      continue;
    }
    if (record.some((f) => f.includes('\uFFFD'))) {
      reject(line, 'is not valid UTF-8');
      continue;
    }
    const o: Record<string, string> = {};
    columns.forEach((c, i) => (o[c] = (record[i] ?? '').trim()));
    const ip = parseIp(o['ip'] ?? '');
    if (ip === null) {
      reject(line, `ip ${JSON.stringify((o['ip'] ?? '').slice(0, 60))} is not an IP address`);
      continue;
    }
    const lease = leaseFrom(o);
    if (typeof lease === 'string') {
      reject(line, lease);
      continue;
    }
    const list = index.get(ip.text);
    if (list === undefined) index.set(ip.text, [lease]);
    else list.push(lease);
  }
  return lookupOver(index, rejects);
}

function leaseFrom(o: Record<string, string>): Lease | string {
  const port = (key: string): number | null | string => {
    const v = o[key] ?? '';
    if (v === '') return null;
    const n = Number(v);
    return /^\d+$/.test(v) && n <= 65535 ? n : `${key} ${JSON.stringify(v.slice(0, 20))} is not a port number 0-65535`;
  };
  const time = (key: string): number | null | string => {
    const v = o[key] ?? '';
    if (v === '') return null;
    const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
    return Number.isNaN(t) ? `${key} ${JSON.stringify(v.slice(0, 40))} is not an ISO 8601 time with a zone (2024-05-01T00:00:00Z)` : t;
  };
  const portFrom = port('port_from');
  const portTo = port('port_to');
  const validFrom = time('valid_from');
  const validTo = time('valid_to');
  for (const v of [portFrom, portTo, validFrom, validTo]) if (typeof v === 'string') return v;
  if ((portFrom === null) !== (portTo === null)) return 'give both port_from and port_to, or neither';
  if (portFrom !== null && portTo !== null && (portFrom as number) > (portTo as number)) return 'port_from is greater than port_to';
  if (validFrom !== null && validTo !== null && (validFrom as number) >= (validTo as number)) return 'valid_from is not before valid_to';
  const subscriber = subscriberFrom(o);
  if (typeof subscriber === 'string') return subscriber;
  return { portFrom: portFrom as number | null, portTo: portTo as number | null, validFrom: validFrom as number | null, validTo: validTo as number | null, subscriber };
}

function lookupOver(index: Map<string, Lease[]>, rejects: readonly LookupReject[]): SubscriberLookup {
  return {
    kind: 'csv',
    rejects,
    lookup: async (q) => {
      const ip = parseIp(q.ip);
      const t = Date.parse(q.time);
      if (ip === null || Number.isNaN(t)) return { kind: 'not-found', reason: 'the observation has no valid address or time' };
      return matchLease(index.get(ip.text) ?? [], q.port, t);
    },
    close: async () => undefined,
  };
}
