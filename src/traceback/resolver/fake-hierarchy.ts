/**
 * A set of in-process authoritative DNS servers on 127.0.0.x addresses (UDP and TCP, one
 * port for all), built from a FakeHierarchySpec. Each server can be told to misbehave so
 * that tests can check the resolver's defences. Loopback only.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import type { RootHint } from './types.js';
import type { FakeBehaviour, FakeHierarchySpec, FakeQueryLogEntry, FakeRecord } from './fake-spec.js';
import { answerQuery, buildZones, type FakeReply } from './fake-zone-data.js';
import { checkWire } from './wire-check.js';
import { canonicalName, ROOT } from './names.js';

export interface FakeHierarchy {
  /** The root zone's servers, ready for createIterativeResolver. */
  readonly rootHints: RootHint[];
  readonly port: number;
  /** Every query received, in order. */
  readonly log: FakeQueryLogEntry[];
  stop(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
/** Without EDNS a UDP reply may not exceed 512 bytes (RFC 1035 4.2.1); bigger ones go TC. */
const UDP_LIMIT = 512;

interface Query {
  readonly id: number;
  readonly qname: string;
  readonly qtype: string;
  readonly raw: Packet['questions'];
  readonly rd: boolean;
}

export async function startFakeHierarchy(spec: FakeHierarchySpec): Promise<FakeHierarchy> {
  const { zones, serves } = buildZones(spec);
  const behaviours = new Map<string, FakeBehaviour>();
  for (const z of spec.zones) for (const s of z.servers) behaviours.set(s.ip, { ...behaviours.get(s.ip), ...s.behaviour });
  const spoofIp = spec.spoofIp ?? '127.0.0.254';
  const log: FakeQueryLogEntry[] = [];
  const keepLog = spec.keepLog !== false;
  let concurrent = 0;
  const rotation = new Map<string, number>();

  let port = spec.port ?? 0;
  let bound: Bound | null = null;
  for (let attempt = 0; bound === null; attempt++) {
    const tryPort = spec.port ?? 20000 + Math.floor(Math.random() * 40000);
    try {
      bound = await bindAll([...serves.keys()], spoofIp, tryPort);
      port = tryPort;
    } catch (e) {
      if (spec.port !== undefined || attempt >= 20) throw e;
    }
  }
  const sockets = bound;

  const respond = async (ip: string, transport: 'udp' | 'tcp', msg: Buffer): Promise<Buffer | null> => {
    const q = parseQuery(msg);
    if (q === null) return null;
    concurrent++;
    try {
      if (keepLog) log.push({ ip, transport, qname: q.qname, qtype: q.qtype, rd: q.rd, at: performance.now(), concurrent });
      const b = behaviours.get(ip) ?? {};
      if (b.delayMs !== undefined) await new Promise((r) => setTimeout(r, b.delayMs));
      if (b.silent === true) return null;
      if (transport === 'udp' && b.truncateAlways === true) return encodeReply(q, { rcode: 'NOERROR', aa: true, answers: [], authorities: [], additionals: [] }, true);
      if (b.compressionLoop === true) return compressionLoopReply(q);
      if (b.oversizedRecord === true) return oversizedReply(q);
      let reply: FakeReply;
      if (b.refused === true) reply = { rcode: 'REFUSED', aa: false, answers: [], authorities: [], additionals: [] };
      else if (b.servfail === true) reply = { rcode: 'SERVFAIL', aa: false, answers: [], authorities: [], additionals: [] };
      else if (b.lame === true) reply = { rcode: 'NOERROR', aa: false, answers: [], authorities: [], additionals: [] };
      else {
        const pickA = b.rotateA === undefined ? undefined : rotate(ip, b.rotateA);
        reply = answerQuery(zones, serves.get(ip) ?? [], q.qname, q.qtype, {
          ...(b.referralLoop !== undefined ? { referralLoop: b.referralLoop } : {}),
          ...(pickA !== undefined ? { pickA } : {}),
        });
      }
      const id = b.wrongId === true ? (q.id + 1) & 0xffff : q.id;
      let out = encodeReply({ ...q, id }, reply, false);
      if (transport === 'udp' && out.length > UDP_LIMIT) out = encodeReply({ ...q, id }, { ...reply, answers: [], authorities: [], additionals: [] }, true);
      return out;
    } finally {
      concurrent--;
    }
  };

  function rotate(ip: string, count: number) {
    return (name: string, records: readonly FakeRecord[]): readonly FakeRecord[] => {
      const key = `${ip} ${name}`;
      const n = rotation.get(key) ?? 0;
      rotation.set(key, n + 1);
      const out: FakeRecord[] = [];
      for (let i = 0; i < Math.min(count, records.length); i++) out.push(records[(n + i) % records.length] as FakeRecord);
      return out;
    };
  }

  for (const [ip, s] of sockets.servers) {
    s.udp.on('message', (msg, rinfo) => {
      void respond(ip, 'udp', msg).then((out) => {
        if (out === null) return;
        const via = behaviours.get(ip)?.wrongSource === true ? sockets.spoof : s.udp;
        via.send(out, rinfo.port, rinfo.address, () => undefined);
      });
    });
    s.tcp.on('connection', (conn) => serveTcp(conn, (msg) => respond(ip, 'tcp', msg)));
  }

  const rootHints: RootHint[] = [];
  for (const z of spec.zones) {
    if (canonicalName(z.zone) !== ROOT) continue;
    for (const s of z.servers) rootHints.push({ name: canonicalName(s.name), ip: s.ip });
  }

  return {
    rootHints,
    port,
    log,
    stop: () => closeAll(sockets),
  };
}

interface Bound {
  readonly servers: Map<string, { udp: dgram.Socket; tcp: net.Server }>;
  readonly spoof: dgram.Socket;
  readonly connections: Set<net.Socket>;
}

async function bindAll(ips: string[], spoofIp: string, port: number): Promise<Bound> {
  const servers = new Map<string, { udp: dgram.Socket; tcp: net.Server }>();
  const connections = new Set<net.Socket>();
  const opened: Array<dgram.Socket | net.Server> = [];
  try {
    const spoof = await bindUdp(spoofIp, port);
    opened.push(spoof);
    for (const ip of ips) {
      const udp = await bindUdp(ip, port);
      opened.push(udp);
      const tcp = await listenTcp(ip, port);
      opened.push(tcp);
      tcp.on('connection', (c) => {
        connections.add(c);
        c.on('close', () => connections.delete(c));
      });
      servers.set(ip, { udp, tcp });
    }
    return { servers, spoof, connections };
  } catch (e) {
    for (const s of opened) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    throw e;
  }
}

function bindUdp(ip: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4' });
    s.once('error', reject);
    s.bind(port, ip, () => {
      s.off('error', reject);
      try {
        s.setRecvBufferSize(4 * 1024 * 1024);
      } catch {
        // Capped by the OS; bursts may then drop and the resolver retries.
      }
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

function listenTcp(ip: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, ip, () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

async function closeAll(b: Bound): Promise<void> {
  for (const c of b.connections) c.destroy();
  const closing: Promise<void>[] = [new Promise((r) => b.spoof.close(() => r()))];
  for (const { udp, tcp } of b.servers.values()) {
    closing.push(new Promise((r) => udp.close(() => r())));
    closing.push(new Promise((r) => tcp.close(() => r())));
  }
  await Promise.all(closing);
}

/** Reads length-framed queries from a TCP connection and writes framed replies. */
function serveTcp(conn: net.Socket, handle: (msg: Buffer) => Promise<Buffer | null>): void {
  let buf = Buffer.alloc(0);
  conn.on('error', () => undefined);
  conn.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (buf.length < len + 2) break;
      const msg = buf.subarray(2, len + 2);
      buf = buf.subarray(len + 2);
      void handle(Buffer.from(msg)).then((out) => {
        if (out === null || conn.destroyed) return;
        const framed = Buffer.alloc(out.length + 2);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        conn.write(framed);
      });
    }
  });
}

function parseQuery(msg: Buffer): Query | null {
  if (checkWire(msg) !== null) return null;
  try {
    const p = dnsPacket.decode(msg);
    const q = p.questions?.[0];
    if (p.type !== 'query' || q === undefined) return null;
    return { id: p.id ?? 0, qname: canonicalName(q.name), qtype: q.type, raw: p.questions, rd: p.flag_rd === true };
  } catch {
    return null;
  }
}

function encodeReply(q: Query, r: FakeReply, truncated: boolean): Buffer {
  const flags = (r.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | RCODES[r.rcode];
  return dnsPacket.encode({
    type: 'response',
    id: q.id,
    flags,
    questions: q.raw ?? [],
    answers: r.answers,
    authorities: r.authorities,
    additionals: r.additionals,
  });
}

/** A reply whose answer owner is a compression pointer to its own offset. */
function compressionLoopReply(q: Query): Buffer {
  const head = encodeReply(q, { rcode: 'NOERROR', aa: true, answers: [], authorities: [], additionals: [] }, false);
  const at = head.length;
  const rr = Buffer.alloc(2 + 10 + 4);
  rr.writeUInt16BE(0xc000 | at, 0);
  rr.writeUInt16BE(1, 2); // A
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(4, 10);
  const out = Buffer.concat([head, rr]);
  out.writeUInt16BE(1, 6); // ANCOUNT
  return out;
}

/** A reply with an A record carrying 3000 bytes of RDATA. */
function oversizedReply(q: Query): Buffer {
  const head = encodeReply(q, { rcode: 'NOERROR', aa: true, answers: [], authorities: [], additionals: [] }, false);
  const rr = Buffer.alloc(2 + 10 + 3000);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(1, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(3000, 10);
  const out = Buffer.concat([head, rr]);
  out.writeUInt16BE(1, 6);
  return out;
}
