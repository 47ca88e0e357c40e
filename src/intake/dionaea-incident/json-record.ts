import { toUtcIso } from '../../domain/event.js';
import { normalizeIp, toPort } from '../dionaea-sqlite/address.js';
import { connectionKind } from '../dionaea-sqlite/connection-kind.js';
import { dionaeaProtocol } from '../dionaea-sqlite/protocol.js';
import { WEAK_CREDENTIALS } from './mapped.js';
import type { Mapped } from './mapped.js';
import { checkTimestamp, fail, show } from './record-reject.js';

/**
 * One line of dionaea's log_json output: one connection, written when it is freed:
 * {"connection": {"protocol", "transport", "type"}, "src_ip", "src_port", "dst_ip", "dst_port",
 * "src_hostname", "timestamp", optional "credentials", "ftp", "p0f"}. With flat_data the
 * credentials are {"username": [...], "password": [...]}, without it a list of {username, password}.
 * log_json has no connection ids or links, so an outbound connection is taken at face value.
 */
function hasCredentials(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') {
    const names = (v as Record<string, unknown>).username;
    return Array.isArray(names) ? names.length > 0 : names !== undefined && names !== null;
  }
  return false;
}

/** Map one parsed log_json record. Throws RecordReject for a bad record. */
export function mapJsonRecord(record: Record<string, unknown>, sensor: string): Mapped {
  const c = record.connection;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) fail(`connection is not an object: ${show(c)}`);
  const con = c as Record<string, unknown>;
  const kind = connectionKind(con.type);
  if (kind === null) fail(`connection.type is unknown: ${show(con.type)}`);
  if (kind === 'listen') return { kind: 'ignored', ignored: 'dionaea.json.listen' };
  const time = checkTimestamp(record.timestamp, (s) => toUtcIso(s));
  const srcIp = normalizeIp(record.src_ip);
  if (srcIp === null) fail(`src_ip is not an IP address: ${show(record.src_ip)}`);
  const srcPort = toPort(record.src_port);
  if (srcPort === undefined) fail(`src_port is not a port: ${show(record.src_port)}`);
  const dst = record.dst_ip;
  const dstIp = dst === null || dst === undefined || dst === '' ? null : normalizeIp(dst);
  if (dstIp === null && !(dst === null || dst === undefined || dst === '')) fail(`dst_ip is not an IP address: ${show(dst)}`);
  const dstPort = toPort(record.dst_port);
  if (dstPort === undefined) fail(`dst_port is not a port: ${show(record.dst_port)}`);
  const protocol = dionaeaProtocol(con.transport, con.protocol);
  const login = hasCredentials(record.credentials);
  return {
    kind: 'event',
    event: {
      key: `${sensor}:json:${time.raw}:${protocol}:${srcIp}:${srcPort ?? ''}:${dstIp ?? ''}:${dstPort ?? ''}`,
      sensor,
      time: time.iso,
      srcIp,
      srcPort,
      dstIp,
      dstPort,
      protocol,
      stage: login ? 'exploit' : 'connect',
      vulnerability: login ? WEAK_CREDENTIALS : null,
      vulnerabilityRaw: login ? 'login' : null,
      sample: null,
    },
  };
}
