import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One client connection as a scripted fake server sees it. */
export interface FakeIrcConnection {
  /** Lines the client sent so far, without line endings. */
  readonly received: string[];
  /** Writes raw text or bytes, line endings and all, so tests can split lines across chunks. */
  send(raw: string | Uint8Array): void;
  /** Calls `fn` for each line the client sends (and for lines already received). */
  onLine(fn: (line: string) => void): void;
  close(): void;
}

export interface FakeIrcServer {
  readonly host: string;
  readonly port: number;
  /** Every connection so far, in order. */
  readonly connections: FakeIrcConnection[];
  stop(): Promise<void>;
}

/**
 * A loopback TCP server that runs `script` for every connection: the tests' stand-in for IRC
 * servers that say 464, 465, "ERROR :Closing Link", garbage, or nothing at all.
 */
export interface FakeIrcServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Keep our side open after the client hangs up, like a server that never closes. */
  readonly neverClose?: boolean;
}

export async function startFakeIrcServer(script: (conn: FakeIrcConnection) => void, opts: FakeIrcServerOptions = {}): Promise<FakeIrcServer> {
  const host = opts.host ?? '127.0.0.1';
  const connections: FakeIrcConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: opts.neverClose === true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const received: string[] = [];
    const listeners: ((line: string) => void)[] = [];
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const parts = pending.split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) {
        received.push(line);
        for (const fn of listeners) fn(line);
      }
    });
    const conn: FakeIrcConnection = {
      received,
      send: (raw) => {
        if (!socket.destroyed) socket.write(raw);
      },
      onLine: (fn) => {
        listeners.push(fn);
        for (const line of received) fn(line);
      },
      close: () => socket.end(),
    };
    connections.push(conn);
    script(conn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
