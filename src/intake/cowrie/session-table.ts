import type { SampleHashes } from '../../domain/event.js';

/**
 * What the reader remembers about one cowrie session between its lines. Cowrie writes the
 * connection details only on cowrie.session.connect; later lines carry just the session id.
 */
export interface SessionState {
  srcPort: number | null;
  dstIp: string | null;
  dstPort: number | null;
  protocol: string | null;
  /** URLs this session already produced an offer for, with the local name each was saved under. */
  readonly offers: { url: string; name: string | null }[];
  /** Local file names of this session's downloads and uploads, newest last. */
  readonly files: { name: string; sample: SampleHashes }[];
  /** Names the session ran before any download of that name was seen (one-liners log the run first). */
  readonly pendingRuns: string[];
  /** A download that a pending run turned out to start; reported when the session closes. */
  deferredExecution: SampleHashes | null;
  /** SHA-256s already reported as executed, so a deferred execution is not reported twice. */
  readonly executed: string[];
}

/** Per-session lists stay this short: the newest entries win. */
export const MAX_PER_SESSION = 8;

export function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_PER_SESSION) list.shift();
}

/**
 * Sessions by id, bounded: a session is dropped when it closes, and the oldest one is dropped when
 * more than `capacity` are open (a log cut before its session.closed lines must not grow memory).
 */
export class SessionTable {
  private readonly sessions = new Map<string, SessionState>();

  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.sessions.size;
  }

  peek(session: string): SessionState | undefined {
    return this.sessions.get(session);
  }

  /** The session's state, created empty when unknown. */
  get(session: string): SessionState {
    let s = this.sessions.get(session);
    if (s === undefined) {
      s = { srcPort: null, dstIp: null, dstPort: null, protocol: null, offers: [], files: [], pendingRuns: [], deferredExecution: null, executed: [] };
      this.sessions.set(session, s);
      if (this.sessions.size > this.capacity) {
        const oldest = this.sessions.keys().next().value;
        if (oldest !== undefined) this.sessions.delete(oldest);
      }
    }
    return s;
  }

  delete(session: string): void {
    this.sessions.delete(session);
  }
}
