import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A signed-in operator or ISP portal user. The CSRF token is the synchronizer token for its forms. */
export interface Session {
  readonly id: string;
  readonly kind: 'operator' | 'isp';
  /** Operator user name or ISP id. */
  readonly subject: string;
  readonly csrf: string;
  readonly expiresAt: number;
}

/** Where sessions live. In memory by default; a shared store can be handed in for several serve processes. */
export interface SessionStore {
  create(kind: Session['kind'], subject: string): Promise<Session>;
  get(id: string): Promise<Session | null>;
  destroy(id: string): Promise<void>;
}

export function createMemorySessionStore(opts: { ttlMs: number; maxSessions?: number; now?: () => number }): SessionStore {
  const now = opts.now ?? Date.now;
  const max = opts.maxSessions ?? 10_000;
  const sessions = new Map<string, Session>();
  return {
    async create(kind, subject) {
      // Map keeps insertion order: the first entries are the oldest, dropped when full.
      if (sessions.size >= max) for (const id of [...sessions.keys()].slice(0, sessions.size - max + 1)) sessions.delete(id);
      const s: Session = { id: token(), kind, subject, csrf: token(), expiresAt: now() + opts.ttlMs };
      sessions.set(s.id, s);
      return s;
    },
    async get(id) {
      const s = sessions.get(id);
      if (s === undefined) return null;
      if (s.expiresAt <= now()) {
        sessions.delete(id);
        return null;
      }
      return s;
    },
    async destroy(id) {
      sessions.delete(id);
    },
  };
}

/** 256 random bits, URL-safe. */
export function token(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time string comparison (for CSRF tokens and other secrets). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface CookieSpec {
  readonly name: string;
  readonly path: string;
  readonly secure: boolean;
}

export async function readSession(store: SessionStore, req: FastifyRequest, cookie: CookieSpec, kind: Session['kind']): Promise<Session | null> {
  const raw = req.cookies[cookie.name];
  if (raw === undefined) return null;
  const un = req.unsignCookie(raw);
  if (!un.valid || un.value === null) return null;
  const s = await store.get(un.value);
  return s !== null && s.kind === kind ? s : null;
}

export async function startSession(store: SessionStore, reply: FastifyReply, cookie: CookieSpec, kind: Session['kind'], subject: string): Promise<Session> {
  const s = await store.create(kind, subject);
  reply.setCookie(cookie.name, s.id, { path: cookie.path, httpOnly: true, sameSite: 'strict', secure: cookie.secure, signed: true });
  return s;
}

export async function endSession(store: SessionStore, reply: FastifyReply, cookie: CookieSpec, s: Session | null): Promise<void> {
  if (s !== null) await store.destroy(s.id);
  reply.clearCookie(cookie.name, { path: cookie.path, httpOnly: true, sameSite: 'strict', secure: cookie.secure });
}

/** True when a posted form carries this session's synchronizer token. */
export function csrfOk(s: Session, body: unknown): boolean {
  const sent = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['_csrf'] : undefined;
  return typeof sent === 'string' && sameSecret(sent, s.csrf);
}
