import type { Storage } from '../storage/schema.js';
import type { WorkflowServices } from './services.js';
import type { Session, SessionStore } from './sessions.js';

/**
 * Operator sessions kept by the workflow in the database (only a hash of the session id is
 * stored), so that every serve process sharing the database knows them. Null when the services
 * do not offer them.
 */
export function databaseOperatorSessions(storage: Storage, services: WorkflowServices, ttlMs: number): SessionStore | null {
  const { createOperatorSession, operatorSession, endOperatorSession } = services;
  if (createOperatorSession === undefined || operatorSession === undefined || endOperatorSession === undefined) return null;
  const toSession = (id: string, s: { username: string; csrfToken: string; expiresAt: string }): Session => ({
    id,
    kind: 'operator',
    subject: s.username,
    csrf: s.csrfToken,
    expiresAt: Date.parse(s.expiresAt),
  });
  return {
    async create(kind, subject) {
      if (kind !== 'operator') throw new Error('the database session store holds operator sessions only');
      const s = await createOperatorSession(storage, subject, ttlMs / 3_600_000);
      return toSession(s.sessionId, s);
    },
    async get(id) {
      const s = await operatorSession(storage, id);
      return s === null ? null : toSession(id, s);
    },
    async destroy(id) {
      await endOperatorSession(storage, id);
    },
  };
}
