import { open, type FileHandle } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { BINARY_ABSENT, errorVerdict, knownVerdict, unknownVerdict, type SampleToScan, type Scanner, type Verdict } from '../scanner.js';
import { instreamChunkHeader, parseInstreamReply, type InstreamResult } from './clamd-protocol.js';

/** Where clamd listens: TCPSocket/TCPAddr or LocalSocket in clamd.conf. */
export type ClamdAddress = { readonly host: string; readonly port: number } | { readonly socketPath: string };

export interface ClamdOptions {
  readonly address: ClamdAddress;
  /** Whole-exchange limit per request (connect, send, scan, reply). Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** INSTREAM chunk size in bytes. Default 64 KiB. */
  readonly chunkSize?: number;
  /** Scanner name in verdicts. Default "clamd". */
  readonly name?: string;
}

/** A clamd scanner, plus the two health commands an operator needs before a batch. */
export interface ClamdScanner extends Scanner {
  /** True when clamd answers zPING with PONG; false for any failure (never rejects). */
  ping(): Promise<boolean>;
  /** clamd's zVERSION reply, e.g. "ClamAV 1.4.6/27000/Mon Jan  1 08:00:00 2024". Rejects on failure. */
  version(): Promise<string>;
}

/** A clamd conversation that failed below the protocol: refused, reset, timed out, no reply. */
export class ClamdConnectionError extends Error {
  override readonly name = 'ClamdConnectionError';
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** A reply longer than this is not clamd talking. */
const MAX_REPLY_BYTES = 64 * 1024;
/** After a complete NUL-terminated reply, how long to wait for more (AllMatch) before closing. */
const REPLY_GRACE_MS = 500;

export function createClamdScanner(options: ClamdOptions): ClamdScanner {
  const name = options.name ?? 'clamd';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 0xffffffff) {
    throw new RangeError(`clamd chunkSize must be an integer from 1 to 2^32-1, got ${chunkSize}`);
  }
  return {
    name,
    async scan(sample: SampleToScan): Promise<Verdict> {
      if (sample.path === null) return errorVerdict(name, BINARY_ABSENT);
      let file: FileHandle;
      try {
        file = await open(sample.path, 'r');
      } catch (err) {
        return errorVerdict(name, `cannot read binary: ${message(err)}`);
      }
      let result: InstreamResult;
      try {
        const stream = file.createReadStream({ highWaterMark: chunkSize, autoClose: false });
        result = parseInstreamReply(await clamdInstream(options.address, stream, { timeoutMs, chunkSize }));
      } catch (err) {
        return errorVerdict(name, message(err));
      } finally {
        await file.close().catch(() => undefined);
      }
      if (result.status === 'found') return knownVerdict(name, result.signatures.join(','));
      if (result.status === 'ok') return unknownVerdict(name);
      return errorVerdict(name, result.message);
    },
    async ping(): Promise<boolean> {
      try {
        return (await clamdCommand(options.address, 'PING', { timeoutMs })) === 'PONG';
      } catch {
        return false;
      }
    },
    async version(): Promise<string> {
      const reply = await clamdCommand(options.address, 'VERSION', { timeoutMs });
      if (!/^ClamAV /.test(reply)) throw new ClamdConnectionError(`unexpected VERSION reply: ${JSON.stringify(reply.slice(0, 200))}`);
      return reply;
    },
  };
}

/** Sends one z-prefixed command (PING, VERSION, …) and returns the reply without its NUL. */
export async function clamdCommand(address: ClamdAddress, command: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const reply = await exchange(address, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, async (sock) => {
    await write(sock, Buffer.from(`z${command}\0`, 'latin1'));
  });
  return reply.replace(/\0+$/, '').split('\0')[0]?.trim() ?? '';
}

/**
 * Streams bytes to clamd with zINSTREAM and returns its raw reply (parse with parseInstreamReply).
 * The source is re-chunked to chunkSize so that no INSTREAM chunk exceeds what the caller chose.
 */
export async function clamdInstream(
  address: ClamdAddress,
  source: AsyncIterable<Uint8Array>,
  opts: { timeoutMs?: number; chunkSize?: number } = {},
): Promise<string> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const send = async (sock: Socket, replied: () => boolean): Promise<void> => {
    await write(sock, Buffer.from('zINSTREAM\0', 'latin1'));
    for await (const piece of source) {
      for (let at = 0; at < piece.length; at += chunkSize) {
        // clamd answers early only to refuse (size limit) and then closes. Letting the event loop
        // read first makes us see that reply instead of failing the next write with EPIPE.
        await new Promise((r) => setImmediate(r));
        if (replied()) return;
        const part = piece.subarray(at, at + chunkSize);
        await write(sock, Buffer.concat([instreamChunkHeader(part.length), part]));
      }
    }
    if (!replied()) await write(sock, instreamChunkHeader(0));
  };
  return exchange(address, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, send, CLOSED_DURING_UPLOAD);
}

/**
 * clamd drops the connection mid-upload only when StreamMaxLength is exceeded; when its reply
 * saying so is lost to the race with our next write, the error should still say what happened.
 */
const CLOSED_DURING_UPLOAD = 'closed the connection during the upload, probably INSTREAM size limit exceeded (StreamMaxLength)';

/**
 * One connection, one request, one reply. The reply is whatever clamd sends until it closes (or
 * until a short grace after a NUL terminator). A write error after clamd has replied is expected
 * (it closes on size-limit errors) and the reply wins over the error.
 */
function exchange(
  address: ClamdAddress,
  timeoutMs: number,
  send: (sock: Socket, replied: () => boolean) => Promise<void>,
  closedWhileSending: string | null = null,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const where = 'socketPath' in address ? address.socketPath : `${address.host}:${address.port}`;
    const sock = 'socketPath' in address ? createConnection({ path: address.socketPath }) : createConnection({ host: address.host, port: address.port });
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    let sending = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => fail(new ClamdConnectionError(`clamd at ${where}: timeout after ${timeoutMs} ms`)), timeoutMs);

    function cleanup(): void {
      done = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      sock.destroy();
    }
    function succeed(): void {
      if (done) return;
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    }
    function fail(err: Error): void {
      if (done) return;
      cleanup();
      reject(err);
    }
    function finishOrFail(reason: string): void {
      if (received > 0) succeed();
      else fail(new ClamdConnectionError(`clamd at ${where}: ${reason}`));
    }

    function onError(err: unknown): void {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      const peerGone = code === 'EPIPE' || code === 'ECONNRESET';
      finishOrFail(sending && peerGone && closedWhileSending !== null ? `${closedWhileSending} (${message(err)})` : message(err));
    }

    sock.on('data', (d: Buffer) => {
      received += d.length;
      if (received > MAX_REPLY_BYTES) return fail(new ClamdConnectionError(`clamd at ${where}: reply longer than ${MAX_REPLY_BYTES} bytes`));
      chunks.push(d);
      if (d.includes(0) && !grace) grace = setTimeout(succeed, REPLY_GRACE_MS);
    });
    sock.on('end', () => finishOrFail('connection closed without a reply'));
    sock.on('close', () => finishOrFail('connection closed without a reply'));
    sock.on('error', onError);
    sock.on('connect', () => {
      sending = true;
      send(sock, () => received > 0 || done).then(() => (sending = false), onError);
    });
  });
}

/** Writes with backpressure; resolves early if the socket closes, so a closed peer never hangs us. */
function write(sock: Socket, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sock.destroyed) return resolve();
    const onClose = (): void => resolve();
    sock.once('close', onClose);
    sock.write(buf, (err) => {
      sock.off('close', onClose);
      if (err) reject(err);
      else resolve();
    });
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
