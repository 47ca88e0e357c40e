import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { UserError } from '../domain/errors.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { audit } from './audit.js';
import { sha256Hex } from './identifiers.js';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, KEY_LEN, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** "scrypt$N$r$p$salt$hash" (base64url): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || n === undefined || r === undefined || p === undefined || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// Checked for unknown users too, so that the answer time does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;

/** Adds an operator account. Password: 12 to 1024 characters. Audited. */
export async function createOperator(storage: Storage, username: string, password: string, actor: string): Promise<void> {
  if (!USERNAME.test(username)) throw new UserError('USAGE', 'a username is 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (password.length < 12 || password.length > 1024) throw new UserError('USAGE', 'a password must be 12 to 1024 characters long');
  const db = wdb(storage);
  const exists = await db.selectFrom('operators').select('username').where('username', '=', username).executeTakeFirst();
  if (exists !== undefined) throw new UserError('USAGE', `operator ${username} already exists`);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('operators').values({ username, password_hash: hash, created_at: new Date().toISOString(), disabled_at: null }).execute();
    await audit(storage, actor, 'operator.add', username, null, tx);
  });
}

export async function verifyOperator(storage: Storage, username: string, password: string): Promise<boolean> {
  const row = typeof username === 'string' && USERNAME.test(username)
    ? await wdb(storage).selectFrom('operators').select(['password_hash', 'disabled_at']).where('username', '=', username).executeTakeFirst()
    : undefined;
  if (row === undefined || row.disabled_at !== null) {
    await checkPassword(String(password), await (dummyHash ??= hashPassword('not-a-password-anyone-has')));
    return false;
  }
  return checkPassword(String(password), row.password_hash);
}

/**
 * Portal sessions of an ISP share the session table with operators, under the subject
 * `isp:<ISP id>`: no operator name can contain ":", so the two kinds never meet.
 */
export const PORTAL_SESSION_PREFIX = 'isp:';

export interface OperatorSession {
  readonly username: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** A new login session: the cookie value is returned once, only its hash is kept. */
export async function createOperatorSession(storage: Storage, username: string, ttlHours = 12): Promise<{ sessionId: string } & OperatorSession> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  const db = wdb(storage);
  // Expired sessions are of no use to anyone: each login clears them, so the table stays small.
  await db.deleteFrom('operator_sessions').where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('operator_sessions')
    .values({ session_hash: sha256Hex(sessionId), username, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { sessionId, username, csrfToken, expiresAt };
}

/** The live session for a cookie value, or null (unknown or expired). */
export async function operatorSession(storage: Storage, sessionId: string, now = new Date()): Promise<OperatorSession | null> {
  if (typeof sessionId !== 'string' || sessionId.length < 16 || sessionId.length > 200) return null;
  const row = await wdb(storage).selectFrom('operator_sessions').selectAll().where('session_hash', '=', sha256Hex(sessionId)).executeTakeFirst();
  if (row === undefined || row.expires_at <= now.toISOString()) return null;
  return { username: row.username, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function endOperatorSession(storage: Storage, sessionId: string): Promise<void> {
  await wdb(storage).deleteFrom('operator_sessions').where('session_hash', '=', sha256Hex(sessionId)).execute();
}
