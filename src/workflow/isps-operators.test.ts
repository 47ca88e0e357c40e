import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { sha256Hex } from './identifiers.js';
import { PORTAL_SESSION_PREFIX } from './operators.js';
import {
  authenticateIspToken,
  createIsp,
  createOperator,
  createOperatorSession,
  endOperatorSession,
  issueIspToken,
  listAudit,
  listIsps,
  operatorSession,
  rotateIspToken,
  updateIsp,
  verifyOperator,
} from './index.js';

dialectTest('ISPs: add, edit, list; bad input refused; every change audited', async (_t, storage) => {
  const isp = await createIsp(storage, { name: 'Example Net', asns: [64500, 64500], prefixes: ['192.0.2.0/24', '2001:db8::/32'] }, 'alice');
  assert.equal(isp.id, 'example-net');
  assert.deepEqual(isp.asns, [64500]);
  await assert.rejects(createIsp(storage, { name: 'Example Net' }, 'alice'), /already exists/);
  await assert.rejects(createIsp(storage, { name: 'X', prefixes: ['192.0.2.1/24'] }, 'alice'), /invalid prefix/);
  await assert.rejects(createIsp(storage, { name: 'Y', asns: [-1] }, 'alice'), /invalid ASN/);
  await assert.rejects(createIsp(storage, { name: 'Z', id: 'Bad Id' }, 'alice'), /must be 1 to 63/);
  await assert.rejects(createIsp(storage, { name: 'bell\u0007' }, 'alice'), /printable/);
  const edited = await updateIsp(storage, 'example-net', { prefixes: ['198.51.100.0/24'] }, 'bob');
  assert.deepEqual([edited.name, edited.asns, edited.prefixes], ['Example Net', [64500], ['198.51.100.0/24']]);
  await assert.rejects(updateIsp(storage, 'nope', { name: 'n' }, 'bob'), /no ISP/);
  assert.deepEqual((await listIsps(storage)).map((i) => i.id), ['example-net']);
  const log = await listAudit(storage, { limit: 10 });
  assert.deepEqual(log.map((a) => [a.actor, a.action, a.target]), [['bob', 'isp.edit', 'example-net'], ['alice', 'isp.add', 'example-net']]);
});

dialectTest('ISP tokens: shown once, stored hashed, rotation revokes the old ones', async (_t, storage) => {
  await createIsp(storage, { id: 'a', name: 'A', prefixes: ['192.0.2.0/24'] }, 'op');
  await createIsp(storage, { id: 'b', name: 'B', prefixes: ['198.51.100.0/24'] }, 'op');
  const { token: ta } = await issueIspToken(storage, 'a', 'op');
  const { token: tb } = await issueIspToken(storage, 'b', 'op');
  assert.ok(ta.length >= 40);
  const stored = await wdb(storage).selectFrom('isp_tokens').select('token_hash').execute();
  assert.ok(stored.every((s) => s.token_hash !== ta && s.token_hash !== tb));
  assert.ok(stored.some((s) => s.token_hash === sha256Hex(ta)));
  assert.deepEqual(await authenticateIspToken(storage, ta), { ispId: 'a' });
  assert.deepEqual(await authenticateIspToken(storage, tb), { ispId: 'b' });
  assert.equal(await authenticateIspToken(storage, `${ta}x`), null);
  assert.equal(await authenticateIspToken(storage, ''), null);
  assert.equal(await authenticateIspToken(storage, 'x'.repeat(10_000)), null);
  const { token: ta2 } = await rotateIspToken(storage, 'a', 'op');
  assert.equal(await authenticateIspToken(storage, ta), null);
  assert.deepEqual(await authenticateIspToken(storage, ta2), { ispId: 'a' });
  assert.deepEqual(await authenticateIspToken(storage, tb), { ispId: 'b' });
  await assert.rejects(issueIspToken(storage, 'nope', 'op'), /no ISP/);
  assert.equal((await listIsps(storage)).find((i) => i.id === 'a')?.activeTokens, 1);
  assert.ok((await listAudit(storage)).some((a) => a.action === 'isp.token.rotate' && (a.details as { revoked: number }).revoked === 1));
});

dialectTest('operators: scrypt with per-user salt, verify, sessions', async (_t, storage) => {
  await createOperator(storage, 'alice', 'correct horse battery', 'setup');
  await createOperator(storage, 'bob', 'correct horse battery', 'setup');
  const rows = await wdb(storage).selectFrom('operators').select(['username', 'password_hash']).orderBy('username').execute();
  assert.match(rows[0]?.password_hash ?? '', /^scrypt\$16384\$8\$1\$/);
  assert.notEqual(rows[0]?.password_hash, rows[1]?.password_hash);
  assert.ok(!rows.some((r) => r.password_hash.includes('correct horse')));
  assert.equal(await verifyOperator(storage, 'alice', 'correct horse battery'), true);
  assert.equal(await verifyOperator(storage, 'alice', 'correct horse batterY'), false);
  assert.equal(await verifyOperator(storage, 'carol', 'correct horse battery'), false);
  assert.equal(await verifyOperator(storage, "x' or 1=1 --", 'x'), false);
  await assert.rejects(createOperator(storage, 'alice', 'another long password', 'setup'), /already exists/);
  await assert.rejects(createOperator(storage, 'dave', 'short', 'setup'), /12 to 1024/);
  await assert.rejects(createOperator(storage, 'Bad Name', 'long enough password', 'setup'), /username/);
  const s = await createOperatorSession(storage, 'alice', 1);
  assert.deepEqual(await operatorSession(storage, s.sessionId), { username: 'alice', csrfToken: s.csrfToken, expiresAt: s.expiresAt });
  assert.equal(await operatorSession(storage, s.sessionId, new Date(Date.now() + 2 * 3_600_000)), null);
  await endOperatorSession(storage, s.sessionId);
  assert.equal(await operatorSession(storage, s.sessionId), null);
  assert.deepEqual((await listAudit(storage)).map((a) => a.action), ['operator.add', 'operator.add']);
});

dialectTest('rotating an ISP token ends the portal sessions of that ISP only (not another ISP, not operators)', async (_t, storage) => {
  await createIsp(storage, { id: 'a', name: 'A', prefixes: ['192.0.2.0/24'] }, 'op');
  await createIsp(storage, { id: 'b', name: 'B', prefixes: ['198.51.100.0/24'] }, 'op');
  await issueIspToken(storage, 'a', 'op');
  const portalA = await createOperatorSession(storage, `${PORTAL_SESSION_PREFIX}a`);
  const portalB = await createOperatorSession(storage, `${PORTAL_SESSION_PREFIX}b`);
  const operator = await createOperatorSession(storage, 'alice');
  await rotateIspToken(storage, 'a', 'op');
  assert.equal(await operatorSession(storage, portalA.sessionId), null);
  assert.notEqual(await operatorSession(storage, portalB.sessionId), null);
  assert.notEqual(await operatorSession(storage, operator.sessionId), null);
  const rotation = (await listAudit(storage)).find((a) => a.action === 'isp.token.rotate');
  assert.deepEqual(rotation?.details, { revoked: 1, sessionsEnded: 1 });
});

dialectTest('expired sessions are cleared at the next login', async (_t, storage) => {
  const old = await createOperatorSession(storage, 'alice', -1);
  const rows = async (): Promise<number> => (await wdb(storage).selectFrom('operator_sessions').select('session_hash').execute()).length;
  assert.equal(await rows(), 1);
  assert.equal(await operatorSession(storage, old.sessionId), null);
  const fresh = await createOperatorSession(storage, 'bob');
  assert.equal(await rows(), 1);
  assert.notEqual(await operatorSession(storage, fresh.sessionId), null);
});
