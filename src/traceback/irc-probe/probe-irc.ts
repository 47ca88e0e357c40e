import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { evidenceLine } from './evidence.js';
import { createLineSplitter } from './line-splitter.js';
import { createProbeSession, randomNick } from './probe-session.js';
import type { IrcVerdict, SessionVerdict } from './probe-session.js';

/** The default IRC port the study probes. */
export const IRC_PORT = 6667;

export interface IrcProbeOptions {
  readonly host: string;
  /** Default 6667. */
  readonly port?: number;
  /** The whole probe, connect included; default 15 s (servers do ident and DNS lookups first). */
  readonly timeoutMs?: number;
  /** Default: a random 9-character nick. */
  readonly nick?: string;
  readonly user?: string;
  readonly realname?: string;
  /** Bytes read before a verdict is given up as a flood; default 64 KiB. */
  readonly maxBytes?: number;
  /** Longest line accepted (IRCv3 tags allow 8191 + 512); default 9 KiB. */
  readonly maxLineBytes?: number;
  /** Lines kept as evidence; default 20. */
  readonly maxEvidenceLines?: number;
  /** How long to wait for the server to close after QUIT before dropping the connection; default 1 s. */
  readonly closeGraceMs?: number;
}

/** The outcome of probing one server. */
export interface IrcProbeResult {
  readonly host: string;
  readonly port: number;
  readonly verdict: IrcVerdict;
  /** The numeric that decided the verdict ("001", "464", "465", …), when one did. */
  readonly numeric?: string;
  /** A short reason: the ERROR text, the socket error code, why the peer is not IRC. */
  readonly detail?: string;
  /** The first lines the server sent, escaped and cut; the last entry may be a cut-off partial line. */
  readonly evidence: string[];
  /** Milliseconds from the start of the connect to the verdict. */
  readonly elapsedMs: number;
}

const EVIDENCE_CHARS = 512;

function socketErrorVerdict(err: NodeJS.ErrnoException): SessionVerdict {
  const code = err.code ?? err.message;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return { verdict: 'refused', detail: code };
  if (code === 'ETIMEDOUT') return { verdict: 'timeout', detail: code };
  return { verdict: 'unreachable', detail: code };
}

/**
 * Probes one IRC server: connects, sends NICK and USER, answers PING, and classifies the server by
 * what it says (see IrcVerdict). Sends QUIT after the verdict. Never rejects for anything the
 * network or the server does; throws RangeError only for bad options (e.g. a nick with a space).
 */
export function probeIrc(opts: IrcProbeOptions): Promise<IrcProbeResult> {
  const port = opts.port ?? IRC_PORT;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxBytes = opts.maxBytes ?? 64 * 1024;
  const maxEvidence = opts.maxEvidenceLines ?? 20;
  const grace = opts.closeGraceMs ?? 1000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`probeIrc: bad port ${port}`);
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`probeIrc: bad timeoutMs ${timeoutMs}`);
  const session = createProbeSession({
    nick: opts.nick ?? randomNick(),
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.realname !== undefined ? { realname: opts.realname } : {}),
  });
  const splitter = createLineSplitter(opts.maxLineBytes ?? 9 * 1024);

  return new Promise((resolve) => {
    const started = performance.now();
    const evidence: string[] = [];
    let bytes = 0;
    let sawLine = false;
    let connected = false;
    let done = false;

    const socket = net.connect({ host: opts.host, port });
    socket.setNoDelay(true);
    const send = (lines: string[]): void => {
      if (lines.length > 0 && socket.writable) socket.write(lines.map((l) => `${l}\r\n`).join(''));
    };

    const finish = (v: SessionVerdict): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const result: IrcProbeResult = {
        host: opts.host,
        port,
        verdict: v.verdict,
        ...(v.numeric !== undefined ? { numeric: v.numeric } : {}),
        ...(v.detail !== undefined ? { detail: evidenceLine(v.detail, EVIDENCE_CHARS) } : {}),
        evidence,
        elapsedMs: Math.round(performance.now() - started),
      };
      if (!connected || socket.destroyed) {
        socket.destroy();
        resolve(result);
        return;
      }
      // Polite close: QUIT, then wait a little for the server to hang up; a server that never
      // closes is dropped after the grace period so the probe's slot is freed.
      send(['QUIT :probe']);
      socket.end();
      const drop = setTimeout(() => socket.destroy(), grace);
      socket.once('close', () => {
        clearTimeout(drop);
        resolve(result);
      });
    };

    const handleLine = (line: string): void => {
      if (done) return;
      sawLine = true;
      if (evidence.length < maxEvidence) evidence.push(evidenceLine(line, EVIDENCE_CHARS));
      const step = session.onLine(line);
      send(step.send);
      if (step.verdict !== undefined) finish(step.verdict);
    };

    const timer = setTimeout(
      () => finish({ verdict: 'timeout', detail: connected ? `no verdict within ${timeoutMs} ms` : `connect did not complete within ${timeoutMs} ms` }),
      timeoutMs,
    );

    socket.on('connect', () => {
      connected = true;
      send(session.greeting());
    });
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      const { lines, overlong } = splitter.push(chunk);
      for (const line of lines) handleLine(line);
      if (done) return;
      if (overlong) {
        if (evidence.length < maxEvidence) evidence.push(evidenceLine(splitter.peek(EVIDENCE_CHARS), EVIDENCE_CHARS));
        finish({ verdict: 'not-irc', detail: 'a line longer than the IRC limit' });
      } else if (bytes > maxBytes) {
        finish({ verdict: 'not-irc', detail: `${bytes} bytes without a verdict` });
      }
    });
    socket.on('end', () => {
      const rest = splitter.flush();
      if (rest !== null) handleLine(rest);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(socketErrorVerdict(err)));
    socket.on('close', () =>
      finish(sawLine ? { verdict: 'refused', detail: 'closed before registering' } : { verdict: 'not-irc', detail: 'closed without sending a line' }),
    );
  });
}
