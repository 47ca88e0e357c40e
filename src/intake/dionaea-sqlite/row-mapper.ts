import { toUtcIso, truncateRaw } from '../../domain/event.js';
import type { HoneypotEvent, SampleHashes, Stage } from '../../domain/event.js';
import { lookupVulnerabilityRaw, vulnerabilityRaw } from '../../domain/vulnerability.js';
import type { ReadItem } from '../reader.js';
import { normalizeIp, toPort } from './address.js';
import { connectionKind } from './connection-kind.js';
import { classifyEmuProfile } from './emu-profile.js';
import { dionaeaProtocol } from './protocol.js';
import type { TableName } from './schema.js';

export const FORMAT = 'dionaea-sqlite';

/** What every row of one database shares. */
export interface RowContext {
  readonly file: string;
  readonly sensor: string;
  /** Identifies the database independent of its path (see dbIdentity in reader.ts). */
  readonly dbIdentity: string;
}

/** One joined row from selectSql: x_* own columns, c_* connection, a_* attacker's connection. */
export type Row = Readonly<Record<string, unknown>>;

/** dionaea started in 2009; earlier or far-future times are clock garbage, not attacks. */
const MIN_EPOCH_S = 946_684_800; // 2000-01-01
const MAX_EPOCH_S = 4_102_444_800; // 2100-01-01
const MAX_URL = 4096;
const MAX_UUID = 128;
const MD5 = /^[0-9a-f]{32}$/i;

class RowReject {
  constructor(readonly reason: string) {}
}

function fail(reason: string): never {
  throw new RowReject(reason);
}

/** A value for a reason text: short, and never a whole blob. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Buffer.isBuffer(v)) return `a ${v.length}-byte blob`;
  return String(v);
}

/** The joined row as JSON for a reject, blobs and long strings cut short. */
function rawRow(row: Row): string {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v)) out[name] = `<blob ${v.length} bytes>`;
    else if (typeof v === 'string' && v.length > 1024) out[name] = `${v.slice(0, 1024)}…[${v.length} chars]`;
    else if (typeof v === 'bigint') out[name] = v.toString();
    else out[name] = v;
  }
  return truncateRaw(JSON.stringify(out));
}

interface Endpoints {
  readonly srcIp: string;
  readonly srcPort: number | null;
  readonly dstIp: string | null;
  readonly dstPort: number | null;
}

/** The attacker side comes from the a_* columns, chosen in SQL (see selectSql). */
function endpoints(row: Row): Endpoints {
  if (row.a_id === null) fail(`outbound connection ${show(row.c_connection)} is linked to no inbound connection, so no attacker can be named`);
  const where = row.a_id === row.c_connection ? '' : ` of linked connections:${show(row.a_id)}`;
  const srcIp = normalizeIp(row.a_remote_host);
  if (srcIp === null) fail(`remote_host${where} is not an IP address: ${show(row.a_remote_host)}`);
  const srcPort = toPort(row.a_remote_port);
  if (srcPort === undefined) fail(`remote_port${where} is not a port: ${show(row.a_remote_port)}`);
  const local = row.a_local_host;
  const dstIp = local === null || local === '' ? null : normalizeIp(local);
  if (dstIp === null && local !== null && local !== '') fail(`local_host${where} is not an IP address: ${show(local)}`);
  const dstPort = toPort(row.a_local_port);
  if (dstPort === undefined) fail(`local_port${where} is not a port: ${show(row.a_local_port)}`);
  return { srcIp, srcPort, dstIp, dstPort };
}

function epochTime(value: unknown, column: string): string {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${column} is not an epoch time: ${show(value)}`);
  if (n < MIN_EPOCH_S || n >= MAX_EPOCH_S) fail(`${column} ${n} is outside 2000–2100`);
  return toUtcIso(Math.round(n * 1000)) ?? fail(`${column} is not a valid time: ${show(value)}`);
}

function urlColumn(value: unknown, column: string, required: boolean): string | null {
  if (value === null && !required) return null;
  if (typeof value !== 'string' || value.length === 0) fail(`${column} is not a URL: ${show(value)}`);
  if (value.length > MAX_URL) fail(`${column} is ${value.length} characters long (limit ${MAX_URL})`);
  return value;
}

function sample(url: string | null, md5: string | null = null): SampleHashes {
  return { md5, sha1: null, sha256: null, url };
}

/** The first DCE/RPC request of the attack that names a known vulnerability. */
function attackVulnerability(requests: unknown): { vulnerability: string | null; vulnerabilityRaw: string | null } {
  if (typeof requests === 'string') {
    for (const r of requests.split(' ')) {
      const v = lookupVulnerabilityRaw(r.toLowerCase());
      if (v !== null) return { vulnerability: v, vulnerabilityRaw: r.toLowerCase() };
    }
  }
  return { vulnerability: null, vulnerabilityRaw: null };
}

interface StageFacts {
  readonly stage: Stage;
  readonly vulnerability: string | null;
  readonly vulnerabilityRaw: string | null;
  readonly sample: SampleHashes | null;
}

function stageFacts(table: TableName, row: Row): StageFacts | 'ignored' {
  switch (table) {
    case 'connections':
      return { stage: 'connect', vulnerability: null, vulnerabilityRaw: null, sample: null };
    case 'dcerpcbinds':
      return 'ignored';
    case 'dcerpcrequests': {
      const uuid = row.x_dcerpcrequest_uuid;
      const opnum = row.x_dcerpcrequest_opnum;
      if (typeof uuid !== 'string' || uuid.length === 0) fail(`dcerpcrequest_uuid is not a UUID: ${show(uuid)}`);
      if (uuid.length > MAX_UUID) fail(`dcerpcrequest_uuid is ${uuid.length} characters long (limit ${MAX_UUID})`);
      if (typeof opnum !== 'number' || !Number.isInteger(opnum) || opnum < 0 || opnum > 65535) fail(`dcerpcrequest_opnum is not an operation number: ${show(opnum)}`);
      const raw = vulnerabilityRaw(uuid, opnum);
      return { stage: 'exploit', vulnerability: lookupVulnerabilityRaw(raw), vulnerabilityRaw: raw, sample: null };
    }
    case 'logins':
      return { stage: 'exploit', vulnerability: 'weak-credentials', vulnerabilityRaw: 'login', sample: null };
    case 'emu_profiles': {
      const profile = row.x_emu_profile_json;
      if (typeof profile !== 'string') fail(`emu_profile_json is not text: ${show(profile)}`);
      const result = classifyEmuProfile(profile);
      if (typeof result === 'string') fail(result);
      return { stage: result.stage, ...attackVulnerability(row.q_requests), sample: result.url === null ? null : sample(result.url) };
    }
    case 'offers':
      return { stage: 'offer', ...attackVulnerability(row.q_requests), sample: sample(urlColumn(row.x_offer_url, 'offer_url', true)) };
    case 'downloads': {
      const md5 = row.x_download_md5_hash;
      if (typeof md5 !== 'string' || !MD5.test(md5)) fail(`download_md5_hash is not an MD5: ${show(md5)}`);
      return { stage: 'download', ...attackVulnerability(row.q_requests), sample: sample(urlColumn(row.x_download_url, 'download_url', false), md5.toLowerCase()) };
    }
  }
}

function idText(id: unknown): string {
  return typeof id === 'number' || typeof id === 'bigint' ? String(id) : show(id);
}

/** Turn one joined row into exactly one ReadItem; never throws. */
export function mapRow(table: TableName, row: Row, ctx: RowContext): ReadItem {
  const ref = `${table}:${idText(row.x_id)}`;
  try {
    const facts = stageFacts(table, row);
    if (facts === 'ignored') return { kind: 'ignored', ignored: { kind: `dionaea.${table.replace(/s$/, '')}` } };
    if (row.c_connection === null) fail(`connection ${show(row.x_connection)} is not in the connections table`);
    const kind = connectionKind(row.c_connection_type);
    if (kind === null) fail(`connection_type ${show(row.c_connection_type)} is unknown`);
    if (kind === 'listen') {
      if (table === 'connections') return { kind: 'ignored', ignored: { kind: 'dionaea.connection.listen' } };
      fail(`belongs to the listening socket connections:${show(row.c_connection)}`);
    }
    const ends = endpoints(row);
    const ownTime = table === 'downloads' && row.x_download_timestamp !== undefined && row.x_download_timestamp !== null;
    const time = ownTime ? epochTime(row.x_download_timestamp, 'download_timestamp') : epochTime(row.c_connection_timestamp, 'connection_timestamp');
    const event: HoneypotEvent = {
      key: `${ctx.sensor}:${ctx.dbIdentity}:${ref}`,
      format: FORMAT,
      sensor: ctx.sensor,
      time,
      ...ends,
      protocol: dionaeaProtocol(row.c_connection_transport, row.c_connection_protocol),
      ...facts,
      ref: { file: ctx.file, line: null, row: ref },
    };
    return { kind: 'event', event };
  } catch (e) {
    if (!(e instanceof RowReject)) throw e;
    return { kind: 'reject', reject: { format: FORMAT, source: ctx.file, line: null, row: ref, reason: e.reason, raw: rawRow(row) } };
  }
}
