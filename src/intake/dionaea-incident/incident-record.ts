import { toUtcIso } from '../../domain/event.js';
import type { SampleHashes, Stage } from '../../domain/event.js';
import { lookupVulnerabilityRaw, vulnerabilityRaw } from '../../domain/vulnerability.js';
import { normalizeIp, toPort } from '../dionaea-sqlite/address.js';
import { classifyEmuProfile } from '../dionaea-sqlite/emu-profile.js';
import { dionaeaProtocol } from '../dionaea-sqlite/protocol.js';
import type { Attack, AttackState } from './attack-state.js';
import { MAX_URL, WEAK_CREDENTIALS } from './mapped.js';
import type { Mapped, MappedEvent } from './mapped.js';
import { checkTimestamp, fail, show } from './record-reject.js';

/**
 * One line of dionaea's log_incident output: {"timestamp", "name": "dionaea", "origin", "data"}.
 * Connections in data are {"id", "protocol", "transport", "local_ip", "local_port",
 * "remote_hostname", "remote_ip", "remote_port"}; "id" is a Python object id, unique only while the
 * connection lives. dionaea.connection.link {"parent", "child"} ties a download connection to the
 * attack connection, and every accepted connection to its listening socket.
 */
export interface IncidentContext {
  readonly sensor: string;
  readonly state: AttackState;
}

type Handler = (origin: string, data: Record<string, unknown>, time: { raw: string; iso: string }, ctx: IncidentContext) => Mapped;

type Con = Record<string, unknown>;
const MAX_UUID = 128;
const MAX_ORIGIN = 100;
const MD5 = /^[0-9a-f]{32}$/i;

function objectField(data: Record<string, unknown>, key: string): Con {
  const v = data[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`data.${key} is not a connection: ${show(v)}`);
  return v as Con;
}

function connectionOf(data: Record<string, unknown>): Con {
  if (data.connection === undefined && data.con === undefined) fail('the incident has no connection, so no attacker can be named');
  return objectField(data, data.connection === undefined ? 'con' : 'connection');
}

function conId(con: Con): string {
  const id = con.id;
  if (typeof id === 'number' && Number.isInteger(id)) return String(id);
  if (typeof id === 'string' && id.length > 0 && id.length <= 40) return id;
  fail(`connection id is not an id: ${show(id)}`);
}

function endpointsOf(con: Con, inbound: boolean): Attack {
  const srcIp = normalizeIp(con.remote_ip);
  if (srcIp === null) fail(`remote_ip is not an IP address: ${show(con.remote_ip)}`);
  const srcPort = toPort(con.remote_port);
  if (srcPort === undefined) fail(`remote_port is not a port: ${show(con.remote_port)}`);
  const local = con.local_ip;
  const dstIp = local === null || local === undefined || local === '' ? null : normalizeIp(local);
  if (dstIp === null && !(local === null || local === undefined || local === '')) fail(`local_ip is not an IP address: ${show(local)}`);
  const dstPort = toPort(con.local_port);
  if (dstPort === undefined) fail(`local_port is not a port: ${show(con.local_port)}`);
  return { srcIp, srcPort, dstIp, dstPort, inbound, vulnerability: null, vulnerabilityRaw: null };
}

/** The attack a connection belongs to; a connection first seen mid-attack is taken at face value. */
function attackFor(con: Con, id: string, state: AttackState): Attack {
  const known = state.get(id);
  if (known !== undefined) return known;
  const attack = endpointsOf(con, false);
  state.set(id, attack);
  return attack;
}

function urlField(value: unknown, name: string, required: boolean): string | null {
  if ((value === null || value === undefined) && !required) return null;
  if (typeof value !== 'string' || value.length === 0) fail(`data.${name} is not a URL: ${show(value)}`);
  if (value.length > MAX_URL) fail(`data.${name} is ${value.length} characters long (limit ${MAX_URL})`);
  return value;
}

function sample(url: string | null, md5: string | null = null): SampleHashes {
  return { md5, sha1: null, sha256: null, url };
}

function event(
  ctx: IncidentContext,
  key: string,
  time: string,
  attack: Attack,
  con: Con,
  stage: Stage,
  vulnerability: string | null,
  raw: string | null,
  s: SampleHashes | null,
): MappedEvent {
  return {
    kind: 'event',
    event: {
      key,
      sensor: ctx.sensor,
      time,
      srcIp: attack.srcIp,
      srcPort: attack.srcPort,
      dstIp: attack.dstIp,
      dstPort: attack.dstPort,
      protocol: dionaeaProtocol(con.transport, con.protocol),
      stage,
      vulnerability,
      vulnerabilityRaw: raw,
      sample: s,
    },
  };
}

const inbound: Handler = (origin, data, time, ctx) => {
  const con = connectionOf(data);
  const id = conId(con);
  const attack = endpointsOf(con, true);
  ctx.state.set(id, attack);
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}`, time.iso, attack, con, 'connect', null, null, null);
};

/**
 * dionaea connecting out: attributed through its link to the attack connection; when the link has
 * not come yet it is held back (see Mapped 'pending'), and taken at face value if none comes
 * (see connection-kind.ts).
 */
const outbound: Handler = (origin, data, time, ctx) => {
  const con = connectionOf(data);
  const id = conId(con);
  const key = `${ctx.sensor}:${origin}:${time.raw}:${id}`;
  const known = ctx.state.get(id);
  if (known !== undefined) return event(ctx, key, time.iso, known, con, 'connect', null, null, null);
  const own = endpointsOf(con, false);
  ctx.state.set(id, own);
  return { kind: 'pending', id, own, finish: (attack) => event(ctx, key, time.iso, attack, con, 'connect', null, null, null) };
};

const link: Handler = (origin, data, _time, ctx) => {
  const childId = conId(objectField(data, 'child'));
  const parentId = conId(objectField(data, 'parent'));
  // an accepted connection is linked to its listening socket: it stays its own attack
  if (ctx.state.get(childId)?.inbound !== true) {
    const parent = ctx.state.get(parentId);
    if (parent !== undefined) ctx.state.set(childId, parent);
  }
  return { kind: 'ignored', ignored: origin };
};

const free: Handler = (origin, data, _time, ctx) => {
  const con = data.connection ?? data.con;
  if (con !== null && typeof con === 'object' && !Array.isArray(con)) {
    const id = (con as Con).id;
    if (typeof id === 'number' || typeof id === 'string') ctx.state.delete(String(id));
  }
  return { kind: 'ignored', ignored: origin };
};

const request: Handler = (origin, data, time, ctx) => {
  const con = connectionOf(data);
  const id = conId(con);
  const { uuid, opnum } = data;
  if (typeof uuid !== 'string' || uuid.length === 0) fail(`data.uuid is not a UUID: ${show(uuid)}`);
  if (uuid.length > MAX_UUID) fail(`data.uuid is ${uuid.length} characters long (limit ${MAX_UUID})`);
  if (typeof opnum !== 'number' || !Number.isInteger(opnum) || opnum < 0 || opnum > 65535) fail(`data.opnum is not an operation number: ${show(opnum)}`);
  const attack = attackFor(con, id, ctx.state);
  const raw = vulnerabilityRaw(uuid, opnum);
  const vulnerability = lookupVulnerabilityRaw(raw);
  if (vulnerability !== null && attack.vulnerability === null) {
    attack.vulnerability = vulnerability;
    attack.vulnerabilityRaw = raw;
  }
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}:${raw}`, time.iso, attack, con, 'exploit', vulnerability, raw, null);
};

const offer: Handler = (origin, data, time, ctx) => {
  const url = urlField(data.url, 'url', true);
  const con = connectionOf(data);
  const id = conId(con);
  const attack = attackFor(con, id, ctx.state);
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}:${url}`, time.iso, attack, con, 'offer', attack.vulnerability, attack.vulnerabilityRaw, sample(url));
};

const download: Handler = (origin, data, time, ctx) => {
  const md5 = data.md5hash;
  if (typeof md5 !== 'string' || !MD5.test(md5)) fail(`data.md5hash is not an MD5: ${show(md5)}`);
  const url = urlField(data.url, 'url', false);
  const con = connectionOf(data);
  const id = conId(con);
  const attack = attackFor(con, id, ctx.state);
  const hash = md5.toLowerCase();
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}:${hash}`, time.iso, attack, con, 'download', attack.vulnerability, attack.vulnerabilityRaw, sample(url, hash));
};

const emuProfile: Handler = (origin, data, time, ctx) => {
  const result = classifyEmuProfile(data.profile);
  if (typeof result === 'string') fail(result);
  const con = connectionOf(data);
  const id = conId(con);
  const attack = attackFor(con, id, ctx.state);
  const s = result.url === null ? null : sample(result.url);
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}`, time.iso, attack, con, result.stage, attack.vulnerability, attack.vulnerabilityRaw, s);
};

const login: Handler = (origin, data, time, ctx) => {
  const con = connectionOf(data);
  const id = conId(con);
  const attack = attackFor(con, id, ctx.state);
  return event(ctx, `${ctx.sensor}:${origin}:${time.raw}:${id}`, time.iso, attack, con, 'exploit', WEAK_CREDENTIALS, 'login', null);
};

const ignored: Handler = (origin) => ({ kind: 'ignored', ignored: origin });

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...['tcp.accept', 'tls.accept', 'dtls.accept', 'tcp.reject', 'tcp.pending'].map((s): [string, Handler] => [`dionaea.connection.${s}`, inbound]),
  ...['tcp.connect', 'tls.connect', 'udp.connect', 'dtls.connect'].map((s): [string, Handler] => [`dionaea.connection.${s}`, outbound]),
  ['dionaea.connection.link', link],
  ['dionaea.connection.free', free],
  ['dionaea.modules.python.smb.dcerpc.request', request],
  ['dionaea.download.offer', offer],
  // .complete (path only) and .complete.unique/.again repeat the same download; .hash carries the MD5
  ['dionaea.download.complete.hash', download],
  ['dionaea.module.emu.profile', emuProfile],
  ...['ftp', 'mssql', 'mysql'].map((p): [string, Handler] => [`dionaea.modules.python.${p}.login`, login]),
]);

/** Map one parsed log_incident record. Throws RecordReject for a bad record. */
export function mapIncident(record: Record<string, unknown>, ctx: IncidentContext): Mapped {
  const origin = record.origin;
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > MAX_ORIGIN) fail(`origin is not an incident name: ${show(origin)}`);
  const handler = HANDLERS.get(origin);
  if (handler === undefined) {
    // other dionaea incidents (p0f, commands, listen, bind, …) are understood but are not attack steps
    if (origin.startsWith('dionaea.')) return ignored(origin, {}, { raw: '', iso: '' }, ctx);
    fail(`origin ${show(origin)} is not a dionaea incident`);
  }
  const data = record.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail(`data is not an object: ${show(data)}`);
  const time = checkTimestamp(record.timestamp, (s) => toUtcIso(s));
  return handler(origin, data as Record<string, unknown>, time, ctx);
}
