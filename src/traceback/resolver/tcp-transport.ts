/**
 * One DNS query over TCP (RFC 1035 4.2.2 two-byte length framing), used after a truncated
 * UDP reply. The connection is the source check; ID, size and question are still verified.
 */
import net from 'node:net';
import { randomInt } from 'node:crypto';
import type { WireLimits } from './wire-check.js';
import { decodeMessage, encodeQuery, messageId, replyMismatch, type Question } from './message.js';
import type { ExchangeResult, TransportCounters } from './exchange-result.js';

export function tcpQuery(
  ip: string,
  port: number,
  q: Question,
  timeoutMs: number,
  limits: WireLimits,
  counters: TransportCounters,
): Promise<ExchangeResult> {
  const id = randomInt(0, 65536);
  const query = encodeQuery(id, q);
  const framed = Buffer.alloc(query.length + 2);
  framed.writeUInt16BE(query.length, 0);
  query.copy(framed, 2);
  counters.queriesSent++;
  counters.tcpQueries++;
  return new Promise((resolve) => {
    let done = false;
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = net.connect({ host: ip, port });
    const finish = (r: ExchangeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (!r.ok) counters.rejectedReplies += r.kind === 'malformed' ? 1 : 0;
      resolve(r);
    };
    const timer = setTimeout(() => {
      counters.timeouts++;
      finish({ ok: false, kind: 'timeout', reason: `no TCP reply within ${timeoutMs} ms` });
    }, timeoutMs);
    socket.on('connect', () => socket.write(framed));
    socket.on('error', (err) => finish({ ok: false, kind: 'network', reason: `TCP: ${err.message}` }));
    socket.on('end', () => finish({ ok: false, kind: 'network', reason: 'TCP connection closed before a full reply' }));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const len = all.readUInt16BE(0);
      if (len > limits.maxMessageBytes) {
        finish({ ok: false, kind: 'malformed', reason: `malformed reply: oversized TCP message of ${len} bytes` });
        return;
      }
      if (all.length < len + 2) return;
      const msg = all.subarray(2, len + 2);
      if (msg.length < 12 || messageId(msg) !== id) {
        finish({ ok: false, kind: 'malformed', reason: 'TCP reply with wrong ID or no header' });
        return;
      }
      const decoded = decodeMessage(msg, limits);
      if (!decoded.ok) {
        finish({ ok: false, kind: 'malformed', reason: decoded.reason });
        return;
      }
      const mismatch = replyMismatch(decoded.packet, q);
      if (mismatch !== null) finish({ ok: false, kind: 'malformed', reason: mismatch });
      else finish({ ok: true, packet: decoded.packet });
    });
  });
}
