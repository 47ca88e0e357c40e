import { timingSafeEqual, randomBytes } from 'node:crypto';
import { parsePrefix } from '../domain/ip.js';
import { UserError } from '../domain/errors.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { audit } from './audit.js';
import { PORTAL_SESSION_PREFIX } from './operators.js';
import { sha256Hex } from './identifiers.js';

/** A participating ISP as the center knows it: an id slug, a name and the networks it answers for. */
export interface Isp {
  readonly id: string;
  readonly name: string;
  readonly asns: readonly number[];
  readonly prefixes: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Tokens not revoked. */
  readonly activeTokens: number;
}

export interface IspInput {
  readonly id?: string;
  readonly name: string;
  readonly asns?: readonly number[];
  readonly prefixes?: readonly string[];
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function slugify(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
}

function cleanNetworks(asns: readonly number[] | undefined, prefixes: readonly string[] | undefined): { asns: number[]; prefixes: string[] } {
  const outAsns: number[] = [];
  for (const a of asns ?? []) {
    if (!Number.isInteger(a) || a <= 0 || a > 0xffffffff) throw new UserError('USAGE', `invalid ASN ${String(a)}: give a whole number from 1 to 4294967295`);
    if (!outAsns.includes(a)) outAsns.push(a);
  }
  const outPrefixes: string[] = [];
  for (const p of prefixes ?? []) {
    const r = parsePrefix(String(p).trim());
    if (!r.ok) throw new UserError('USAGE', `invalid prefix ${JSON.stringify(String(p).slice(0, 60))}: ${r.reason}`);
    if (!outPrefixes.includes(r.prefix.text)) outPrefixes.push(r.prefix.text);
  }
  return { asns: outAsns, prefixes: outPrefixes };
}

function cleanName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > 200 || /[\u0000-\u001f\u007f]/.test(n)) throw new UserError('USAGE', 'an ISP name must be 1 to 200 printable characters');
  return n;
}

/** Registers an ISP; the id defaults to a slug of the name. Audited. */
export async function createIsp(storage: Storage, input: IspInput, actor: string): Promise<Isp> {
  const name = cleanName(input.name);
  const id = input.id ?? slugify(name);
  if (!SLUG.test(id)) throw new UserError('USAGE', `ISP id ${JSON.stringify(id)} must be 1 to 63 lower-case letters, digits and "-", not starting or ending with "-"`);
  const nets = cleanNetworks(input.asns, input.prefixes);
  const db = wdb(storage);
  const clash = await db.selectFrom('isps').select('id').where((eb) => eb.or([eb('id', '=', id), eb('name', '=', name)])).executeTakeFirst();
  if (clash !== undefined) throw new UserError('USAGE', `an ISP with id ${id} or name ${JSON.stringify(name)} already exists`);
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('isps').values({ id, name, asns: JSON.stringify(nets.asns), prefixes: JSON.stringify(nets.prefixes), created_at: now, updated_at: now }).execute();
    await audit(storage, actor, 'isp.add', id, { name, ...nets }, tx);
  });
  return { id, name, ...nets, createdAt: now, updatedAt: now, activeTokens: 0 };
}

/** Changes an ISP's name, ASNs or prefixes (a given list replaces the stored one). Audited. */
export async function updateIsp(
  storage: Storage,
  id: string,
  changes: { name?: string; asns?: readonly number[]; prefixes?: readonly string[] },
  actor: string,
): Promise<Isp> {
  const current = await getIsp(storage, id);
  if (current === null) throw new UserError('USAGE', `no ISP with id ${JSON.stringify(id)}`);
  const name = changes.name !== undefined ? cleanName(changes.name) : current.name;
  const nets = cleanNetworks(changes.asns ?? current.asns, changes.prefixes ?? current.prefixes);
  const now = new Date().toISOString();
  const db = wdb(storage);
  if (name !== current.name) {
    const clash = await db.selectFrom('isps').select('id').where('name', '=', name).where('id', '<>', id).executeTakeFirst();
    if (clash !== undefined) throw new UserError('USAGE', `another ISP is already named ${JSON.stringify(name)}`);
  }
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('isps').set({ name, asns: JSON.stringify(nets.asns), prefixes: JSON.stringify(nets.prefixes), updated_at: now }).where('id', '=', id).execute();
    await audit(storage, actor, 'isp.edit', id, { before: { name: current.name, asns: current.asns, prefixes: current.prefixes }, after: { name, ...nets } }, tx);
  });
  return { ...current, name, ...nets, updatedAt: now };
}

export async function listIsps(storage: Storage): Promise<Isp[]> {
  const db = wdb(storage);
  const rows = await db.selectFrom('isps').selectAll().orderBy('id').execute();
  const tokens = await db
    .selectFrom('isp_tokens')
    .select(['isp_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('revoked_at', 'is', null)
    .groupBy('isp_id')
    .execute();
  const active = new Map(tokens.map((t) => [t.isp_id, Number(t.n)]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    asns: JSON.parse(r.asns) as number[],
    prefixes: JSON.parse(r.prefixes) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    activeTokens: active.get(r.id) ?? 0,
  }));
}

export async function getIsp(storage: Storage, id: string): Promise<Isp | null> {
  return (await listIsps(storage)).find((i) => i.id === id) ?? null;
}

/** "cc_isp_" + 32 random bytes: the prefix lets secret scanners recognise a leaked token. */
function newToken(): string {
  return `cc_isp_${randomBytes(32).toString('base64url')}`;
}

/** A new API token for the ISP, returned once; only its SHA-256 is stored. Audited. */
export async function issueIspToken(storage: Storage, ispId: string, actor: string): Promise<{ token: string }> {
  return writeToken(storage, ispId, actor, false);
}

/** A new token; every older token of the ISP stops working at once. Audited. */
export async function rotateIspToken(storage: Storage, ispId: string, actor: string): Promise<{ token: string }> {
  return writeToken(storage, ispId, actor, true);
}

async function writeToken(storage: Storage, ispId: string, actor: string, revokeOld: boolean): Promise<{ token: string }> {
  const db = wdb(storage);
  const isp = await db.selectFrom('isps').select('id').where('id', '=', ispId).executeTakeFirst();
  if (isp === undefined) throw new UserError('USAGE', `no ISP with id ${JSON.stringify(ispId)}`);
  const token = newToken();
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    let revoked = 0;
    let sessionsEnded = 0;
    if (revokeOld) {
      const r = await tx.updateTable('isp_tokens').set({ revoked_at: now }).where('isp_id', '=', ispId).where('revoked_at', 'is', null).executeTakeFirst();
      revoked = Number(r.numUpdatedRows);
      // A rotation answers a leaked token: portal sessions opened with the old one end with it.
      const s = await tx.deleteFrom('operator_sessions').where('username', '=', `${PORTAL_SESSION_PREFIX}${ispId}`).executeTakeFirst();
      sessionsEnded = Number(s.numDeletedRows);
    }
    await tx.insertInto('isp_tokens').values({ token_hash: sha256Hex(token), isp_id: ispId, created_at: now, revoked_at: null }).execute();
    await audit(storage, actor, revokeOld ? 'isp.token.rotate' : 'isp.token.issue', ispId, revokeOld ? { revoked, sessionsEnded } : { revoked }, tx);
  });
  return { token };
}

/**
 * The ISP a bearer token belongs to, or null. The look-up is by SHA-256 of the token (so the stored
 * value is useless to a thief); the final comparison is constant-time all the same.
 */
export async function authenticateIspToken(storage: Storage, token: string): Promise<{ ispId: string } | null> {
  if (typeof token !== 'string' || token.length < 16 || token.length > 200) return null;
  const hash = sha256Hex(token);
  const row = await wdb(storage).selectFrom('isp_tokens').select(['token_hash', 'isp_id', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) return null;
  const a = Buffer.from(row.token_hash, 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? { ispId: row.isp_id } : null;
}
