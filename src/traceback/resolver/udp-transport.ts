/**
 * UDP queries multiplexed over a few sockets per address family. A reply is accepted only
 * when its ID is pending on that socket, it comes from the exact address and port queried,
 * it passes the wire pre-check and its question matches; anything else is counted and noted
 * on the pending query (so a time-out can say what was rejected), never trusted.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { WireLimits } from './wire-check.js';
import { decodeMessage, encodeQuery, isResponseHeader, isTruncatedHeader, messageId, replyMismatch, type Question } from './message.js';
import type { ExchangeResult, TransportCounters } from './exchange-result.js';

export interface UdpTransport {
  query(ip: string, port: number, q: Question, timeoutMs: number): Promise<ExchangeResult>;
  close(): Promise<void>;
}

interface Pending {
  readonly ip: string;
  readonly port: number;
  readonly q: Question;
  readonly notes: string[];
  readonly finish: (r: ExchangeResult) => void;
}

interface Slot {
  readonly socket: dgram.Socket;
  readonly ready: Promise<void>;
  readonly pending: Map<number, Pending>;
}

export interface UdpTransportOptions {
  readonly sockets: number;
  readonly limits: WireLimits;
  readonly counters: TransportCounters;
}

export function createUdpTransport(opts: UdpTransportOptions): UdpTransport {
  const families: Record<'udp4' | 'udp6', Slot[] | undefined> = { udp4: undefined, udp6: undefined };
  let next = 0;
  let closed = false;

  function slotsFor(type: 'udp4' | 'udp6'): Slot[] {
    const existing = families[type];
    if (existing !== undefined) return existing;
    const slots: Slot[] = [];
    for (let i = 0; i < Math.max(1, opts.sockets); i++) slots.push(openSlot(type));
    families[type] = slots;
    return slots;
  }

  function openSlot(type: 'udp4' | 'udp6'): Slot {
    const socket = dgram.createSocket({ type });
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve) => {
      socket.once('error', () => resolve());
      socket.bind(0, () => {
        try {
          socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // The OS may cap the buffer; the default still works, only with more drops under load.
        }
        resolve();
      });
    });
    socket.on('error', () => {
      // A socket error (e.g. ICMP unreachable surfaced by the OS) must not crash the run;
      // the affected query simply times out.
    });
    socket.on('message', (msg, rinfo) => onMessage(pending, msg, rinfo));
    return { socket, ready, pending };
  }

  function onMessage(pending: Map<number, Pending>, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12 || !isResponseHeader(msg)) {
      opts.counters.rejectedReplies++;
      return;
    }
    const id = messageId(msg);
    const p = pending.get(id);
    const from = `${rinfo.address}:${rinfo.port}`;
    if (p === undefined) {
      opts.counters.rejectedReplies++;
      // Attribute it for the diagnostics if it came from a server we are waiting on.
      for (const other of pending.values()) {
        if (sameAddress(other.ip, rinfo.address) && other.port === rinfo.port) other.notes.push(`reply with unexpected ID ${id} rejected`);
      }
      return;
    }
    if (!sameAddress(p.ip, rinfo.address) || p.port !== rinfo.port) {
      opts.counters.rejectedReplies++;
      p.notes.push(`reply from unexpected source ${from} rejected`);
      return;
    }
    if (msg.length > opts.limits.maxMessageBytes) {
      opts.counters.rejectedReplies++;
      p.finish({ ok: false, kind: 'malformed', reason: `malformed reply: oversized message of ${msg.length} bytes` });
      return;
    }
    // Only the header of a truncated reply matters (it may be cut mid-record); TCP gives the rest.
    if (isTruncatedHeader(msg)) {
      p.finish({ ok: false, kind: 'truncated', reason: 'reply truncated (TC bit)' });
      return;
    }
    const decoded = decodeMessage(msg, opts.limits);
    if (!decoded.ok) {
      opts.counters.rejectedReplies++;
      p.finish({ ok: false, kind: 'malformed', reason: decoded.reason });
      return;
    }
    const mismatch = replyMismatch(decoded.packet, p.q);
    if (mismatch !== null) {
      opts.counters.rejectedReplies++;
      p.notes.push(mismatch);
      return;
    }
    p.finish({ ok: true, packet: decoded.packet });
  }

  return {
    async query(ip, port, q, timeoutMs) {
      if (closed) return { ok: false, kind: 'network', reason: 'resolver closed' };
      const slots = slotsFor(isIPv6(ip) ? 'udp6' : 'udp4');
      const slot = slots[next++ % slots.length] as Slot;
      await slot.ready;
      let id = randomInt(0, 65536);
      for (let tries = 0; slot.pending.has(id); tries++) {
        if (tries > 64) return { ok: false, kind: 'network', reason: 'no free message ID' };
        id = randomInt(0, 65536);
      }
      const buf = encodeQuery(id, q);
      return new Promise<ExchangeResult>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const notes: string[] = [];
        const finish = (r: ExchangeResult): void => {
          if (slot.pending.get(id)?.finish !== finish) return;
          slot.pending.delete(id);
          if (timer !== undefined) clearTimeout(timer);
          resolve(r);
        };
        slot.pending.set(id, { ip, port, q, notes, finish });
        timer = setTimeout(() => {
          opts.counters.timeouts++;
          const why = notes.length > 0 ? ` (${notes.slice(0, 3).join('; ')})` : '';
          finish({ ok: false, kind: 'timeout', reason: `no valid reply within ${timeoutMs} ms${why}` });
        }, timeoutMs);
        opts.counters.queriesSent++;
        slot.socket.send(buf, port, ip, (err) => {
          if (err) finish({ ok: false, kind: 'network', reason: `send failed: ${err.message}` });
        });
      });
    },
    async close() {
      closed = true;
      for (const slots of [families.udp4, families.udp6]) {
        for (const slot of slots ?? []) {
          for (const p of [...slot.pending.values()]) p.finish({ ok: false, kind: 'network', reason: 'resolver closed' });
          await new Promise<void>((resolve) => {
            try {
              slot.socket.close(() => resolve());
            } catch {
              resolve();
            }
          });
        }
      }
    },
  };
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
