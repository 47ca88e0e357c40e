import type { Storage } from '../storage/schema.js';
import { PORTAL_SESSION_PREFIX } from '../workflow/operators.js';
import type { WorkflowServices } from './services.js';
import type { Session, SessionStore } from './sessions.js';

// Portal sessions share the workflow's session table with operators under PORTAL_SESSION_PREFIX
// (operators.ts). Each store only ever answers for its own kind, so a portal cookie value replayed
// as an operator cookie (or the reverse) finds nothing.

type DbSession = { username: string; csrfToken: string; expiresAt: string };

/**
 * Sessions kept by the workflow in the database (only a hash of the session id is stored), so that
 * every serve process sharing the database knows them. Null when the services do not offer them.
 */
function databaseSessions(storage: Storage, services: WorkflowServices, ttlMs: number, kind: Session['kind']): SessionStore | null {
  const { createOperatorSession, operatorSession, endOperatorSession } = services;
  if (createOperatorSession === undefined || operatorSession === undefined || endOperatorSession === undefined) return null;
  const toSubject = (s: DbSession): string | null => {
    const portal = s.username.startsWith(PORTAL_SESSION_PREFIX);
    if (kind === 'isp') return portal ? s.username.slice(PORTAL_SESSION_PREFIX.length) : null;
    return portal ? null : s.username;
  };
  const toSession = (id: string, s: DbSession): Session | null => {
    const subject = toSubject(s);
    return subject === null ? null : { id, kind, subject, csrf: s.csrfToken, expiresAt: Date.parse(s.expiresAt) };
  };
  return {
    async create(k, subject) {
      if (k !== kind) throw new Error(`this session store holds ${kind} sessions only`);
      const s = await createOperatorSession(storage, kind === 'isp' ? `${PORTAL_SESSION_PREFIX}${subject}` : subject, ttlMs / 3_600_000);
      const session = toSession(s.sessionId, s);
      if (session === null) throw new Error('an operator name cannot start with "isp:"');
      return session;
    },
    async get(id) {
      const s = await operatorSession(storage, id);
      return s === null ? null : toSession(id, s);
    },
    async destroy(id) {
      // Only a session of this store's kind may be ended through it.
      if ((await this.get(id)) !== null) await endOperatorSession(storage, id);
    },
  };
}

/** Operator sessions in the database, or null when the services do not offer them. */
export function databaseOperatorSessions(storage: Storage, services: WorkflowServices, ttlMs: number): SessionStore | null {
  return databaseSessions(storage, services, ttlMs, 'operator');
}

/** ISP portal sessions in the database (subject: the ISP id), or null when the services do not offer them. */
export function databasePortalSessions(storage: Storage, services: WorkflowServices, ttlMs: number): SessionStore | null {
  return databaseSessions(storage, services, ttlMs, 'isp');
}
