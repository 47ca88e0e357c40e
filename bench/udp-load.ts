/**
 * A small DNS load driver for the benchmark: sends recursive A queries for a list of names to one
 * server over UDP with a window of queries in flight, retries on time-out, and counts answers.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface LoadResult {
  readonly names: number;
  readonly answered: number;
  /** NOERROR with at least one A record. */
  readonly withAddress: number;
  readonly failed: number;
  readonly retries: number;
  readonly ms: number;
}

export async function udpLoad(server: { host: string; port: number }, names: readonly string[], opts: { window: number; timeoutMs: number; tries: number }): Promise<LoadResult> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    sock.setRecvBufferSize(8 * 1024 * 1024);
  } catch {
    // capped by the OS
  }
  const pending = new Map<number, { index: number; tries: number; timer: NodeJS.Timeout }>();
  let next = 0;
  let done = 0;
  let answered = 0;
  let withAddress = 0;
  let failed = 0;
  let retries = 0;
  let seq = 0;
  const started = performance.now();
  return new Promise<LoadResult>((resolve) => {
    const finish = (): void => {
      sock.close();
      resolve({ names: names.length, answered, withAddress, failed, retries, ms: performance.now() - started });
    };
    const send = (index: number, tries: number): void => {
      let id = seq++ & 0xffff;
      while (pending.has(id)) id = seq++ & 0xffff;
      const msg = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: names[index] as string }] });
      const timer = setTimeout(() => {
        pending.delete(id);
        if (tries + 1 < opts.tries) {
          retries++;
          send(index, tries + 1);
        } else {
          failed++;
          settle();
        }
      }, opts.timeoutMs);
      pending.set(id, { index, tries, timer });
      sock.send(msg, server.port, server.host);
    };
    const settle = (): void => {
      done++;
      if (next < names.length) send(next++, 0);
      else if (done === names.length) finish();
    };
    sock.on('message', (msg) => {
      if (msg.length < 12) return;
      const id = msg.readUInt16BE(0);
      const p = pending.get(id);
      if (p === undefined) return;
      clearTimeout(p.timer);
      pending.delete(id);
      answered++;
      try {
        const d = dnsPacket.decode(msg);
        if (((d.flags ?? 0) & 0xf) === 0 && (d.answers ?? []).some((a) => a.type === 'A')) withAddress++;
      } catch {
        // counted as answered without an address
      }
      settle();
    });
    if (names.length === 0) return finish();
    while (next < names.length && next < opts.window) send(next++, 0);
  });
}
