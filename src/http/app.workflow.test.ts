import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import * as workflow from '../workflow/index.js';
import { event, insertEvents } from '../workflow/test-support.js';
import { buildApp } from './app.js';
import { bearer, cookiesOf, csrfOf, form, SECRET, postLogin } from './app-fake.test-support.js';

const A = 'Example Net';
const B = '<script>alert(1)</script>';
const NOW = new Date('2024-05-08T00:00:00.000Z');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface World {
  app: FastifyInstance;
  tokA: string;
  tokB: string;
  reqA: workflow.IdentificationRequest;
  reqB: workflow.IdentificationRequest;
}

/** Two ISPs on the real workflow services, each with one weekly request; B has a hostile name. */
async function world(storage: Storage): Promise<World> {
  await workflow.createIsp(storage, { id: 'isp-a', name: A, prefixes: ['192.0.2.0/24'] }, 'setup');
  await workflow.createIsp(storage, { id: 'isp-b', name: B, prefixes: ['198.51.100.0/24'] }, 'setup');
  await workflow.createOperator(storage, 'alice', 'correct horse battery staple', 'setup');
  await insertEvents(storage, [
    event('2024-05-01T10:00:01.000Z', '192.0.2.10', A, { src_port: 40001 }),
    event('2024-05-02T10:00:01.000Z', '192.0.2.11', A, { src_port: 40002 }),
    event('2024-05-01T10:00:01.000Z', '198.51.100.7', B, { src_port: 40003 }),
  ]);
  await workflow.buildIncidents(storage, { gapDays: 7, now: NOW });
  const reqs = await workflow.buildWeeklyRequests(storage, { now: NOW, publicUrl: 'https://center.example' });
  const reqA = reqs.find((r) => r.isp === 'isp-a');
  const reqB = reqs.find((r) => r.isp === 'isp-b');
  assert.ok(reqA !== undefined && reqB !== undefined, 'one request per ISP');
  const tokA = (await workflow.issueIspToken(storage, 'isp-a', 'setup')).token;
  const tokB = (await workflow.issueIspToken(storage, 'isp-b', 'setup')).token;
  const app = await buildApp({ storage, services: workflow, config: { publicUrl: 'https://center.example', sessionSecret: SECRET }, now: () => NOW });
  return { app, tokA, tokB, reqA, reqB };
}

dialectTest('http on the real workflow: ISP A cannot reach ISP B’s data on any API or portal route', async (_t, storage) => {
  const { app, tokA, reqA, reqB } = await world(storage);
  const bTrack = reqB.items[0]!.trackingId;
  const aTrack = reqA.items[0]!.trackingId;
  const snapshot = async (): Promise<string> => JSON.stringify(await workflow.incidentByTrackingId(storage, bTrack));
  const before = await snapshot();

  const list = (await app.inject({ url: '/api/isp/v1/requests', headers: bearer(tokA) })).json() as { requests: { requestId: string }[] };
  assert.deepEqual(list.requests.map((r) => r.requestId), [reqA.requestId]);

  for (const format of ['json', 'csv', 'xarf']) {
    const own = await app.inject({ url: `/api/isp/v1/requests/${encodeURIComponent(reqA.requestId)}?format=${format}`, headers: bearer(tokA) });
    assert.equal(own.statusCode, 200, format);
    const foreign = await app.inject({ url: `/api/isp/v1/requests/${encodeURIComponent(reqB.requestId)}?format=${format}`, headers: bearer(tokA) });
    const unknown = await app.inject({ url: `/api/isp/v1/requests/req-does-not-exist?format=${format}`, headers: bearer(tokA) });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.body, unknown.body);
  }
  const json = (await app.inject({ url: `/api/isp/v1/requests/${encodeURIComponent(reqA.requestId)}`, headers: bearer(tokA) })).json() as workflow.IdentificationRequest;
  assert.equal(json.items[0]?.trackingUrl.startsWith('https://center.example/t/'), true);
  assert.ok(json.items.every((i) => i.srcIp.startsWith('192.0.2.')));

  const answer = await app.inject({
    method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'text/csv' },
    payload: `tracking_id,result,subscriber_key\n${aTrack},identified,key-1\n${bTrack},identified,key-2\n`,
  });
  assert.equal(answer.statusCode, 422);
  const rejected = (answer.json() as { rejected: { row: number; trackingId: string; reason: string }[] }).rejected;
  assert.deepEqual(rejected.map((r) => [r.trackingId, r.reason]), [[bTrack, workflow.UNKNOWN_TRACKING_ID]]);
  assert.equal((await workflow.incidentByTrackingId(storage, aTrack))?.state, 'requested', 'nothing applied, not even the good row');

  const notice = await app.inject({
    method: 'POST', url: '/api/isp/v1/notices', headers: bearer(tokA),
    payload: { notices: [{ trackingId: bTrack, stage: 1, channel: 'email', sentAt: '2024-05-08T00:00:00Z' }] },
  });
  assert.equal(notice.statusCode, 422);

  const ok = await app.inject({
    method: 'POST', url: '/api/isp/v1/answers', headers: bearer(tokA),
    payload: { answers: [{ trackingId: aTrack, result: 'identified', subscriberKey: 'key-1' }] },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const activity = (await app.inject({ url: '/api/isp/v1/activity', headers: bearer(tokA) })).json() as { incidents: { trackingId: string }[] };
  assert.deepEqual(activity.incidents.map((i) => i.trackingId), [aTrack]);

  // The portal, signed in as A.
  const login = await postLogin(app, 'portal', { token: tokA });
  const cookie = cookiesOf(login);
  const portal = await app.inject({ url: '/portal', headers: { cookie } });
  assert.ok(portal.body.includes(reqA.requestId) && !portal.body.includes(reqB.requestId));
  const foreignDl = await app.inject({ url: `/portal/requests/${encodeURIComponent(reqB.requestId)}?format=csv`, headers: { cookie } });
  assert.equal(foreignDl.statusCode, 404);
  const up = await app.inject({
    method: 'POST', url: '/portal/answers', headers: { ...FORM, cookie },
    payload: form({ _csrf: csrfOf(portal.body), csv: `tracking_id,result,subscriber_key\n${bTrack},not-found,\n` }),
  });
  assert.equal(up.statusCode, 422);
  assert.equal(await snapshot(), before, "B's incident is untouched");
});

dialectTest('http on the real workflow: operator signs in with scrypt, changes are audited, hostile names escaped', async (_t, storage) => {
  const { app } = await world(storage);
  const bad = await postLogin(app, 'operator', { username: 'alice', password: 'nope' });
  assert.equal(bad.statusCode, 401);
  const login = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
  assert.equal(login.statusCode, 303);
  const cookie = cookiesOf(login);
  const home = await app.inject({ url: '/operator?lang=en', headers: { cookie } });
  assert.match(home.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(home.body, /<script>/);
  const csrf = csrfOf(home.body);
  const add = await app.inject({ method: 'POST', url: '/operator/isps', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, id: 'isp-c', name: 'Example C', asns: '64502', prefixes: '203.0.113.0/24' }) });
  assert.equal(add.statusCode, 303, add.body);
  const dupe = await app.inject({ method: 'POST', url: '/operator/isps', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, id: 'isp-c', name: 'Example C again', asns: '', prefixes: '' }) });
  assert.equal(dupe.statusCode, 400);
  const rot = await app.inject({ method: 'POST', url: '/operator/isps/isp-c/token', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
  const token = /<code>([^<]+)<\/code>/.exec(rot.body)?.[1];
  assert.ok(token !== undefined);
  assert.deepEqual(await workflow.authenticateIspToken(storage, token), { ispId: 'isp-c' });
  const audit = await workflow.listAudit(storage, { limit: 50 });
  const mine = audit.filter((a) => a.actor.includes('alice')).map((a) => a.target);
  assert.ok(mine.length >= 2 && mine.every((t) => t.includes('isp-c')), JSON.stringify(audit));
  assert.ok(!JSON.stringify(audit).includes(token), 'the token is not in the audit log');
  const page = await app.inject({ url: '/operator/audit', headers: { cookie } });
  assert.equal(page.statusCode, 200);
  const figs = await app.inject({ url: '/operator/figures?month=2024-05', headers: { cookie } });
  assert.equal(figs.statusCode, 200);
});

dialectTest('http on the real workflow: the user site records visited, downloaded, completed; the check confirms tickets', async (_t, storage) => {
  const { app, reqA } = await world(storage);
  const item = reqA.items[0]!;
  const page = await app.inject({ url: `/t/${item.trackingId}?lang=en` });
  assert.equal(page.statusCode, 200);
  assert.ok(!page.body.includes(item.srcIp), 'no address on the user page');
  assert.equal(page.body.includes(item.ticket), true);
  assert.equal((await app.inject({ url: `/t/${item.trackingId}/download` })).statusCode, 200);
  const done = await app.inject({ method: 'POST', url: `/t/${item.trackingId}/checklist`, headers: FORM, payload: form({ q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes' }) });
  assert.equal(done.statusCode, 200);
  const inc = await workflow.incidentByTrackingId(storage, item.trackingId);
  assert.equal(inc?.visitedAt, NOW.toISOString());
  assert.equal(inc?.downloadedAt, NOW.toISOString());
  assert.equal(inc?.completedAt, NOW.toISOString());
  const guess = await app.inject({ url: `/t/${item.trackingId.slice(0, -2)}AA` });
  const junk = await app.inject({ url: '/t/AAAAAAAAAAAAAAAAAAAAAAAA' });
  assert.equal(guess.statusCode, 404);
  assert.equal(guess.body, junk.body);
  const check = await app.inject({ url: `/check?ticket=${encodeURIComponent(item.ticket.toLowerCase())}&lang=en` });
  assert.match(check.body, /A notice with this ticket number exists/);
  assert.match(check.body, /Example Net/);
  const none = await app.inject({ url: '/check?ticket=CC-2222-22&lang=en' });
  assert.match(none.body, /No notice with this ticket number is known/);
});

dialectTest('http on the real workflow: the checklist stores five fixed answers, refuses others, and the ISP sees counts only', async (_t, storage) => {
  const { app, reqA, tokA, tokB } = await world(storage);
  const id = reqA.items[0]!.trackingId;
  const post = (payload: Record<string, string>) => app.inject({ method: 'POST', url: `/t/${id}/checklist`, headers: FORM, payload: form(payload) });
  const page = await app.inject({ url: `/t/${id}?lang=en` });
  assert.equal((page.body.match(/value="unknown"/g) ?? []).length, 5, 'each question offers "don\u2019t know"');
  for (const bad of [{ q1: 'maybe', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes' }, { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes' }, { q1: 'YES', q2: 'no', q3: 'no', q4: 'no', q5: 'no' }]) {
    assert.equal((await post(bad as Record<string, string>)).statusCode, 400, JSON.stringify(bad));
  }
  assert.deepEqual(await workflow.checklistHistory(storage, id), [], 'nothing stored from refused forms');
  const ok = await post({ q1: 'yes', q2: 'no', q3: 'unknown', q4: 'yes', q5: 'unknown', comment: 'my name and phone number' });
  assert.equal(ok.statusCode, 200);
  const history = await workflow.checklistHistory(storage, id);
  assert.deepEqual(history, [{ submittedAt: NOW.toISOString(), answers: { q1: 'yes', q2: 'no', q3: 'unknown', q4: 'yes', q5: 'unknown' } }]);
  // The identified incident shows in /activity once answered; before that it is not the ISP's to act on.
  await app.inject({ method: 'POST', url: '/api/isp/v1/answers', headers: bearer(tokA), payload: { answers: [{ trackingId: id, result: 'identified', subscriberKey: 'key-1' }] } });
  const act = (await app.inject({ url: '/api/isp/v1/activity', headers: bearer(tokA) })).json() as { incidents: { trackingId: string; checklist: unknown }[] };
  assert.deepEqual(act.incidents.find((i) => i.trackingId === id)?.checklist, { submissions: 1, yes: 2, no: 1, unknown: 2 });
  assert.ok(!JSON.stringify(act).includes('my name'));
  const other = (await app.inject({ url: '/api/isp/v1/activity', headers: bearer(tokB) })).json() as { incidents: { trackingId: string }[] };
  assert.ok(!other.incidents.some((i) => i.trackingId === id));
});

dialectTest('http on the real workflow: bad uploads are refused whole, with reasons, and change nothing', async (_t, storage) => {
  const { tokA, reqA } = await world(storage);
  const app = await buildApp({ storage, services: workflow, config: { publicUrl: 'https://center.example', sessionSecret: SECRET, limits: { answerBytes: 4096 } }, now: () => NOW });
  const [a1, a2] = reqA.items.map((i) => i.trackingId);
  assert.ok(a1 !== undefined && a2 !== undefined);
  const states = async (): Promise<string> => JSON.stringify(await Promise.all([a1, a2].map((t) => workflow.incidentByTrackingId(storage, t))));
  const before = await states();
  const csv = (body: string) => app.inject({ method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'text/csv' }, payload: body });

  const cases: [string, string | Buffer][] = [
    ['no header', `${a1},identified,k\n`],
    ['bad result', `tracking_id,result,subscriber_key\n${a1},maybe,k\n`],
    ['duplicate', `tracking_id,result,subscriber_key\n${a1},identified,k\n${a1},identified,k\n`],
    ['guessed id', `tracking_id,result,subscriber_key\nAAAAAAAAAAAAAAAAAAAAAAAA,identified,k\n`],
    ['unterminated quote', `tracking_id,result,subscriber_key\n"${a1},identified,k\n`],
    ['non-UTF-8', Buffer.concat([Buffer.from(`tracking_id,result,subscriber_key\n${a1},identified,`), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')])],
  ];
  for (const [name, body] of cases) {
    const res = await csv(body as string);
    assert.equal(res.statusCode, 422, `${name}: ${res.body}`);
    const j = res.json() as { applied: number; rejected: { row: number; reason: string }[] };
    assert.equal(j.applied, 0, name);
    assert.ok(j.rejected.length > 0 && j.rejected.every((r) => typeof r.row === 'number' && r.reason.length > 0), name);
  }
  const badJson = await app.inject({ method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'application/json' }, payload: '{"answers":[{"trackingId":1}' });
  assert.equal(badJson.statusCode, 422);
  const big = await csv(`tracking_id,result,subscriber_key\n${`${a1},identified,${'k'.repeat(60)}\n`.repeat(100)}`);
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().error.code, 'TOO_LARGE');
  assert.equal(await states(), before);
});

dialectTest('http on the real workflow: operator sessions live in the database, shared by two app instances', async (_t, storage) => {
  const { app } = await world(storage);
  const second = await buildApp({ storage, services: workflow, config: { publicUrl: 'https://center.example', sessionSecret: SECRET }, now: () => NOW });
  const login = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
  const cookie = cookiesOf(login);
  const there = await second.inject({ url: '/operator/audit', headers: { cookie } });
  assert.equal(there.statusCode, 200, 'the other instance knows the session');
  const csrf = csrfOf(there.body);
  const out = await second.inject({ method: 'POST', url: '/operator/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
  assert.equal(out.statusCode, 303);
  assert.equal((await app.inject({ url: '/operator/audit', headers: { cookie } })).statusCode, 401, 'signed out everywhere');
});

dialectTest('http on the real workflow: portal sessions live in the database, shared by two app instances, and never pass as operator sessions', async (_t, storage) => {
  const { app, tokA } = await world(storage);
  const second = await buildApp({ storage, services: workflow, config: { publicUrl: 'https://center.example', sessionSecret: SECRET }, now: () => NOW });
  const login = await postLogin(app, 'portal', { token: tokA });
  assert.equal(login.statusCode, 303);
  const cookie = cookiesOf(login);
  const sessionValue = /cc_portal=([^;]+)/.exec(cookie)?.[1];
  assert.ok(sessionValue !== undefined);
  const there = await second.inject({ url: '/portal?lang=en', headers: { cookie } });
  assert.match(there.body, /Example Net/, 'the other instance knows the portal session');
  assert.match(there.body, /action="\/portal\/answers"/);
  // The same signed value presented as an operator cookie finds no operator session.
  assert.equal((await second.inject({ url: '/operator/audit', headers: { cookie: `cc_operator=${sessionValue}` } })).statusCode, 401);
  const op = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
  const opValue = /cc_operator=([^;]+)/.exec(cookiesOf(op))?.[1];
  const asPortal = await second.inject({ url: '/portal?lang=en', headers: { cookie: `cc_portal=${opValue}` } });
  assert.doesNotMatch(asPortal.body, /action="\/portal\/answers"/, 'an operator session is no portal session');
  // The database holds a hash of the session id, never the id.
  const rows = JSON.stringify(await storage.db.selectFrom('operator_sessions' as never).selectAll().execute());
  assert.ok(!rows.includes(decodeURIComponent(sessionValue).split('.')[0]!));
  const out = await second.inject({ method: 'POST', url: '/portal/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrfOf(there.body) }) });
  assert.equal(out.statusCode, 303);
  const after = await app.inject({ url: '/portal?lang=en', headers: { cookie } });
  assert.doesNotMatch(after.body, /action="\/portal\/answers"/, 'signed out everywhere');
});
