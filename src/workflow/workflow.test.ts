import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { event, insertEvents } from './test-support.js';
import {
  applyAnswerUpload,
  buildIncidents,
  buildWeeklyRequests,
  createIsp,
  getRequest,
  incidentByTicket,
  incidentByTrackingId,
  listAudit,
  listIncidents,
  listRequests,
  recordNotices,
  recordSiteEvent,
  requestToCsv,
  requestToJson,
  requestToXarf,
  siteActivity,
  workflowFigures,
  UNKNOWN_TRACKING_ID,
} from './index.js';

const A = 'Example Net';
const B = 'Other ISP';

async function twoIsps(storage: Storage): Promise<void> {
  await createIsp(storage, { id: 'example-net', name: A, prefixes: ['192.0.2.0/24'], asns: [64500] }, 'op1');
  await createIsp(storage, { id: 'other-isp', name: B, prefixes: ['198.51.100.0/24'] }, 'op1');
}

/** Two sources at ISP A (one with two episodes), one at ISP B, one with no ISP. */
async function seed(storage: Storage): Promise<void> {
  await insertEvents(storage, [
    event('2024-05-01T10:00:01.000Z', '192.0.2.10', A, { stage: 'connect', src_port: 40001 }),
    event('2024-05-01T10:00:02.000Z', '192.0.2.10', A, { stage: 'download', src_port: 40001, sample_sha256: 'ab'.repeat(32) }),
    event('2024-05-03T08:00:00.000Z', '192.0.2.10', A, { src_port: 40777, dst_ip: '203.0.113.2' }),
    // 20 days later: a second episode of the same source.
    event('2024-05-23T08:00:00.000Z', '192.0.2.10', A, { src_port: 41000 }),
    event('2024-05-02T00:00:00.000Z', '192.0.2.20', A, { vulnerability: 'MS04-011' }),
    event('2024-05-02T00:00:00.000Z', '198.51.100.7', B),
    event('2024-05-02T00:00:00.000Z', '203.0.113.99', null),
  ]);
}

const NOW = new Date('2024-05-24T00:00:00.000Z');

dialectTest('incidents: episodes per ISP × source, incremental and idempotent', async (_t, storage) => {
  await twoIsps(storage);
  await seed(storage);
  const r1 = await buildIncidents(storage, { gapDays: 7, now: NOW });
  assert.deepEqual({ created: r1.created, extended: r1.extended, reinfected: r1.reinfected }, { created: 4, extended: 0, reinfected: 0 });
  const again = await buildIncidents(storage, { gapDays: 7, now: NOW });
  assert.deepEqual({ created: again.created, extended: again.extended, sources: again.sources }, { created: 0, extended: 0, sources: 0 });
  const full = await buildIncidents(storage, { gapDays: 7, now: NOW, full: true });
  assert.deepEqual({ created: full.created, extended: full.extended }, { created: 0, extended: 0 });

  const { incidents } = await listIncidents(storage, { ispId: 'example-net' });
  const first = incidents.find((i) => i.srcIp === '192.0.2.10' && i.episode === 1);
  assert.ok(first);
  assert.equal(first.firstSeen, '2024-05-01T10:00:01.000Z');
  assert.equal(first.lastSeen, '2024-05-03T08:00:00.000Z');
  assert.equal(first.attackCount, 2);
  assert.equal(first.strongestStage, 'download');
  assert.deepEqual(first.botNames, [`sha256:${'ab'.repeat(6)}`]);
  assert.match(first.trackingId, /^[A-Za-z0-9_-]{24}$/);
  assert.match(first.ticket, /^CC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
  assert.equal(first.state, 'detected');

  // New events: one extends the open second episode, one for a new source.
  await insertEvents(storage, [
    event('2024-05-25T08:00:00.000Z', '192.0.2.10', A, { import_id: 'imp-2' }),
    event('2024-05-25T09:00:00.000Z', '192.0.2.30', A, { import_id: 'imp-2' }),
  ]);
  // An import still running is left for the next build.
  await storage.db.insertInto('imports').values({ import_id: 'imp-3', format: 'test', paths: '[]', started_at: NOW.toISOString(), finished_at: null, status: 'running', counts: null, host: 'h', heartbeat_at: new Date().toISOString() }).execute();
  await insertEvents(storage, [event('2024-05-25T10:00:00.000Z', '192.0.2.40', A, { import_id: 'imp-3' })]);
  const r2 = await buildIncidents(storage, { gapDays: 7, now: NOW });
  assert.deepEqual({ created: r2.created, extended: r2.extended }, { created: 1, extended: 1 });
  assert.equal((await listIncidents(storage, { ispId: 'example-net' })).total, 4);
});

dialectTest('incidents: events of an unregistered ISP are reported, not turned into incidents', async (_t, storage) => {
  await createIsp(storage, { id: 'example-net', name: A, prefixes: ['192.0.2.0/24'] }, 'op1');
  await seed(storage);
  const r = await buildIncidents(storage, { now: NOW });
  assert.deepEqual(r.unregisteredIsps, [B]);
  assert.equal((await listIncidents(storage)).total, 3);
});

async function requested(storage: Storage): Promise<{ trackingIds: string[]; requestId: string }> {
  await twoIsps(storage);
  await seed(storage);
  await buildIncidents(storage, { gapDays: 7, now: NOW });
  const reqs = await buildWeeklyRequests(storage, { now: NOW, ispId: 'example-net', publicUrl: 'https://center.example' });
  assert.equal(reqs.length, 1);
  const req = reqs[0];
  assert.ok(req);
  return { trackingIds: req.items.map((i) => i.trackingId), requestId: req.requestId };
}

dialectTest('requests: weekly list with every attack time and source port; CSV, JSON, X-ARF', async (_t, storage) => {
  const { requestId } = await requested(storage);
  const req = await getRequest(storage, 'example-net', requestId, { publicUrl: 'https://center.example' });
  assert.ok(req);
  assert.equal(req.week, '2024-W21');
  assert.equal(req.items.length, 3);
  const item = req.items.find((i) => i.srcIp === '192.0.2.10' && i.firstSeen.startsWith('2024-05-01'));
  assert.ok(item);
  assert.deepEqual(item.observations.map((o) => [o.time, o.srcPort, o.dstIp, o.dstPort, o.protocol]), [
    ['2024-05-01T10:00:01.000Z', 40001, '203.0.113.1', 445, 'smb'],
    ['2024-05-03T08:00:00.000Z', 40777, '203.0.113.2', 445, 'smb'],
  ]);
  assert.equal(item.trackingUrl, `https://center.example/t/${item.trackingId}`);

  const csv = requestToCsv(req).trim().split('\r\n');
  assert.equal(csv[0], 'tracking_id,ticket,src_ip,time_utc,src_port,dst_ip,dst_port,protocol');
  assert.equal(csv.length, 1 + 4);
  assert.ok(csv.includes(`${item.trackingId},${item.ticket},192.0.2.10,2024-05-03T08:00:00.000Z,40777,203.0.113.2,445,smb`));
  const json = JSON.parse(requestToJson(req)) as { isp: string; items: unknown[] };
  assert.equal(json.isp, 'example-net');
  assert.equal(json.items.length, 3);

  const xarf = requestToXarf(req, { org: 'Center', contact: 'abuse@center.example', domain: 'center.example' });
  assert.equal(xarf.length, 3);
  const x = xarf.find((r) => r.source_identifier === '192.0.2.10' && r.first_seen === item.firstSeen);
  assert.ok(x);
  assert.equal(x.xarf_version, '4.0.0');
  assert.equal(x.category, 'infrastructure');
  assert.equal(x.type, 'botnet');
  assert.equal(x.source_port, 40001);
  assert.match(x.report_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(x.compromise_evidence.length > 0);
  assert.match(Buffer.from(x.evidence[0]?.payload ?? '', 'base64').toString(), /2024-05-03T08:00:00.000Z,192.0.2.10,40777/);

  // Nothing new: no second request. Another ISP cannot read this one.
  assert.deepEqual(await buildWeeklyRequests(storage, { now: NOW, ispId: 'example-net' }), []);
  assert.equal(await getRequest(storage, 'other-isp', requestId), null);
  assert.deepEqual((await listRequests(storage, 'other-isp')).length, 0);
  const mine = await listRequests(storage, 'example-net');
  assert.deepEqual(mine.map((m) => [m.itemCount, m.answeredCount]), [[3, 0]]);

  // New activity on a requested, unanswered incident asks again.
  await insertEvents(storage, [event('2024-05-04T08:00:00.000Z', '192.0.2.20', A, { import_id: 'imp-9' })]);
  await buildIncidents(storage, { now: NOW });
  const next = await buildWeeklyRequests(storage, { now: new Date('2024-05-28T00:00:00.000Z'), ispId: 'example-net' });
  assert.equal(next.length, 1);
  assert.deepEqual(next[0]?.items.map((i) => i.srcIp), ['192.0.2.20']);
  assert.equal(next[0]?.week, '2024-W22');
});

dialectTest('answers: applied as a whole, keys linked, first-time vs repeat users, same answer twice changes nothing', async (_t, storage) => {
  const { trackingIds } = await requested(storage);
  const [t1, t2, t3] = trackingIds as [string, string, string];
  const csv = `tracking_id,result,subscriber_key\r\n${t1},identified,k-alpha\r\n${t2},identified,k-alpha\r\n${t3},not-found,\r\n`;
  const r = await applyAnswerUpload(storage, 'example-net', { body: csv, contentType: 'text/csv' }, 'isp:example-net');
  assert.deepEqual(r.ok && [r.applied, r.changed], [3, 3]);
  const i1 = await incidentByTrackingId(storage, t1);
  const i2 = await incidentByTrackingId(storage, t2);
  assert.equal(i1?.state, 'identified');
  assert.equal(i1?.subscriberKey, 'k-alpha');
  assert.ok(i1?.identifiedAt);
  assert.equal((await incidentByTrackingId(storage, t3))?.state, 'not-found');
  // One user, two PCs: one first-time incident and one repeat of the same key.
  assert.deepEqual([i1?.firstNotice, i2?.firstNotice].sort(), [0, 1]);
  const again = await applyAnswerUpload(storage, 'example-net', { body: csv, contentType: 'text/csv' }, 'isp:example-net');
  assert.deepEqual(again.ok && [again.applied, again.changed], [3, 0]);
  const fig = await workflowFigures(storage, { ispId: 'example-net' });
  assert.deepEqual(fig.users, { firstTime: 0, repeat: 0 });
  assert.equal(fig.byState.identified, 2);
  assert.equal(fig.byState['not-found'], 1);
  const audits = await listAudit(storage, { limit: 10 });
  assert.equal(audits.filter((a) => a.action === 'answers.upload').length, 2);
});

dialectTest('answers: a key answered in a later upload is a repeat user, and reinfects its completed incident', async (_t, storage) => {
  const { trackingIds } = await requested(storage);
  const db = wdb(storage);
  const rows = await db.selectFrom('incidents').select(['incident_id', 'tracking_id', 'first_seen']).where('tracking_id', 'in', trackingIds).orderBy('first_seen').execute();
  const [older, newer] = rows as [(typeof rows)[number], (typeof rows)[number]];
  assert.ok(older.first_seen < newer.first_seen);
  const upload = (id: string, key: string): Promise<unknown> =>
    applyAnswerUpload(storage, 'example-net', { body: `tracking_id,result,subscriber_key\n${id},identified,${key}\n`, contentType: 'text/csv' }, 'isp:example-net');
  await upload(older.tracking_id, 'k-one');
  // The older incident's user cleaned up; then the same key comes back for a later incident.
  await db.updateTable('incidents').set({ state: 'completed', completed_at: '2024-05-20T00:00:00.000Z' }).where('incident_id', '=', older.incident_id).execute();
  await upload(newer.tracking_id, 'k-one');
  const after = await db.selectFrom('incidents').select(['incident_id', 'state', 'first_notice', 'previous_incident_id', 'reinfected_at']).where('incident_id', 'in', [older.incident_id, newer.incident_id]).execute();
  const o = after.find((r) => r.incident_id === older.incident_id);
  const n = after.find((r) => r.incident_id === newer.incident_id);
  assert.deepEqual([o?.state, o?.first_notice, o?.reinfected_at], ['reinfected', 1, newer.first_seen]);
  assert.deepEqual([n?.state, n?.first_notice, n?.previous_incident_id], ['identified', 0, older.incident_id]);
  // A key of its own: a first-time user.
  const third = trackingIds.find((t) => t !== older.tracking_id && t !== newer.tracking_id) as string;
  await upload(third, 'k-two');
  assert.equal((await db.selectFrom('incidents').select('first_notice').where('tracking_id', '=', third).executeTakeFirst())?.first_notice, 1);
});

dialectTest('answers: every bad row gets one reason and nothing is applied', async (_t, storage) => {
  const { trackingIds } = await requested(storage);
  const [t1, t2] = trackingIds as [string, string];
  // Another ISP's tracking ID reads exactly like an unknown one.
  await buildWeeklyRequests(storage, { now: NOW, ispId: 'other-isp' });
  const foreign = (await listIncidents(storage, { ispId: 'other-isp' })).incidents[0]?.trackingId as string;
  const body = JSON.stringify({
    answers: [
      { trackingId: t1, result: 'identified', subscriberKey: 'good-key' },
      { trackingId: t1, result: 'not-found' },
      { trackingId: foreign, result: 'not-found' },
      { trackingId: 'A'.repeat(24), result: 'not-found' },
      { trackingId: t2, result: 'maybe' },
      { trackingId: t2, result: 'identified', subscriberKey: 'bad key\u0007' },
      { trackingId: t2, result: 'identified', subscriberKey: 'x'.repeat(129) },
      { trackingId: t2, result: 'identified' },
      'not an object',
    ],
  });
  const r = await applyAnswerUpload(storage, 'example-net', { body, contentType: 'application/json' }, 'isp:example-net');
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.deepEqual(r.rejected.map((x) => x.row), [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.match(r.rejected[0]?.reason ?? '', /^duplicate/);
  assert.equal(r.rejected[1]?.reason, UNKNOWN_TRACKING_ID);
  assert.equal(r.rejected[2]?.reason, UNKNOWN_TRACKING_ID);
  for (const x of r.rejected.slice(3)) assert.match(x.reason, /^malformed row: /);
  assert.equal((await incidentByTrackingId(storage, t1))?.state, 'requested');

  const big = await applyAnswerUpload(storage, 'example-net', { body: `tracking_id,result,subscriber_key\n${t1},not-found,\n${t2},not-found,\n`, contentType: 'text/csv', maxRows: 1 }, 'x');
  assert.ok(!big.ok && big.tooLarge === true);
  const bytes = await applyAnswerUpload(storage, 'example-net', { body: 'x'.repeat(100), contentType: 'text/csv', maxBytes: 50 }, 'x');
  assert.ok(!bytes.ok && bytes.tooLarge === true);
  for (const [b, type] of [
    ['{"answers": [', 'application/json'],
    ['tracking_id,result\n', 'text/csv'],
    ['tracking_id,result,subscriber_key\n"unterminated,x,y\n', 'text/csv'],
    ['<xml/>', 'application/xml'],
    [Buffer.from([0x74, 0xff, 0xfe, 0x0a]), 'text/csv'],
    ['{"answers": []}', 'application/json'],
  ] as const) {
    const bad = await applyAnswerUpload(storage, 'example-net', { body: b, contentType: type }, 'x');
    assert.ok(!bad.ok, String(b));
    assert.equal(bad.rejected.length, 1, String(b));
    assert.equal(bad.rejected[0]?.row, 0);
  }
  const extra = await applyAnswerUpload(storage, 'example-net', { body: `tracking_id,result,subscriber_key\n${t1},not-found,,surplus\n`, contentType: 'text/csv' }, 'x');
  assert.ok(!extra.ok && /more than 3 columns/.test(extra.rejected[0]?.reason ?? ''));
  assert.equal((await wdb(storage).selectFrom('answers').select('incident_id').execute()).length, 0);
});

dialectTest('answers: an upload interrupted part way leaves the data unchanged', async (_t, storage) => {
  const { trackingIds } = await requested(storage);
  const before = await wdb(storage).selectFrom('incidents').selectAll().orderBy('incident_id').execute();
  const auditBefore = (await listAudit(storage, { limit: 1000 })).length;
  const body = JSON.stringify({ answers: trackingIds.map((t, i) => ({ trackingId: t, result: 'identified', subscriberKey: `key-${i}` })) });
  await assert.rejects(
    applyAnswerUpload(storage, 'example-net', { body, contentType: 'application/json', beforeCommit: () => { throw new Error('power cut'); } }, 'x'),
    /power cut/,
  );
  assert.deepEqual(await wdb(storage).selectFrom('incidents').selectAll().orderBy('incident_id').execute(), before);
  assert.equal((await wdb(storage).selectFrom('answers').select('incident_id').execute()).length, 0);
  assert.equal((await wdb(storage).selectFrom('answer_uploads').select('upload_id').execute()).length, 0);
  assert.equal((await listAudit(storage, { limit: 1000 })).length, auditBefore);
});

dialectTest('notices, site steps, remediation and reinfection', async (_t, storage) => {
  const { trackingIds } = await requested(storage);
  const [t1, t2] = trackingIds as [string, string];
  const ans = await applyAnswerUpload(storage, 'example-net', { body: JSON.stringify({ answers: [{ trackingId: t1, result: 'identified', subscriberKey: 'k1' }, { trackingId: t2, result: 'identified', subscriberKey: 'k2' }] }), contentType: 'application/json' }, 'x');
  assert.ok(ans.ok);

  const bad = await recordNotices(storage, 'other-isp', [{ trackingId: t1, stage: 1, channel: 'email', sentAt: '2024-05-24T01:00:00.000Z' }], NOW);
  assert.ok(!bad.ok && bad.rejected[0]?.reason === UNKNOWN_TRACKING_ID);
  const n = await recordNotices(
    storage,
    'example-net',
    [
      { trackingId: t1, stage: 1, channel: 'email', sentAt: '2024-05-24T01:00:00.000Z' },
      { trackingId: t1, stage: 2, channel: 'postal', sentAt: '2024-05-24T02:00:00.000Z' },
      { trackingId: t1, stage: 2, channel: 'postal', sentAt: '2024-05-24T02:00:00.000Z' },
    ],
    NOW,
  );
  assert.deepEqual(n, { ok: true, recorded: 2 });
  const i1 = await incidentByTrackingId(storage, t1);
  assert.deepEqual([i1?.state, i1?.noticeStage, i1?.notifiedAt], ['notified', 2, '2024-05-24T01:00:00.000Z']);

  assert.equal(await recordSiteEvent(storage, 'Z'.repeat(24), 'visited'), null);
  const v = await recordSiteEvent(storage, t1, 'completed', '2024-05-24T05:00:00.000Z');
  assert.equal(v?.state, 'completed');
  const late = await recordSiteEvent(storage, t1, 'visited', '2024-05-24T06:00:00.000Z');
  assert.equal(late?.state, 'completed');
  const after = await incidentByTrackingId(storage, t1);
  assert.equal(after?.visitedAt, '2024-05-24T05:00:00.000Z');

  const act = await siteActivity(storage, 'example-net');
  assert.deepEqual(act.map((a) => a.state).sort(), ['completed', 'identified']);
  assert.deepEqual(await siteActivity(storage, 'other-isp'), []);

  const ticket = await incidentByTicket(storage, (after?.ticket ?? '').toLowerCase().replace(/-/g, ' '));
  assert.deepEqual(ticket && Object.keys(ticket).sort(), ['firstSeenDay', 'ispName', 'lastSeenDay', 'noticeStage', 'ticket']);
  assert.equal(ticket?.ispName, A);
  assert.equal(await incidentByTicket(storage, 'CC-0000-00'), null);

  // Activity from a completed source: the old incident is reinfected and a new one begins.
  await recordSiteEvent(storage, t2, 'completed', '2024-05-24T07:00:00.000Z');
  const src2 = (await incidentByTrackingId(storage, t2))?.srcIp as string;
  await insertEvents(storage, [event('2024-05-26T00:00:00.000Z', src2, A, { import_id: 'imp-7' })]);
  const r = await buildIncidents(storage, { now: new Date('2024-05-27T00:00:00.000Z') });
  assert.deepEqual([r.created, r.reinfected], [1, 1]);
  assert.equal((await incidentByTrackingId(storage, t2))?.state, 'reinfected');
  const fresh = (await listIncidents(storage, { ispId: 'example-net', state: 'detected' })).incidents.find((i) => i.srcIp === src2);
  assert.equal(fresh?.previousIncidentId, (await incidentByTrackingId(storage, t2))?.incidentId);

  // The completed incident has been quiet for 30 days: remediated.
  const q = await buildIncidents(storage, { now: new Date('2024-07-30T00:00:00.000Z'), remediationDays: 30 });
  assert.equal(q.remediated, 1);
  assert.equal((await incidentByTrackingId(storage, t1))?.state, 'remediated');

  const fig = await workflowFigures(storage, { ispId: 'example-net', month: '2024-05' });
  assert.deepEqual(fig.notices, [{ stage: 1, channel: 'email', count: 1 }, { stage: 2, channel: 'postal', count: 1 }]);
  assert.equal(fig.reached.completed, 2);
  assert.equal(fig.reached.reinfected, 1);
  assert.deepEqual(fig.users, { firstTime: 1, repeat: 0 });
  assert.deepEqual((await workflowFigures(storage, { ispId: 'example-net', month: '2024-06' })).users, { firstTime: 0, repeat: 0 });
  assert.deepEqual((await workflowFigures(storage)).users, { firstTime: 1, repeat: 0 });
});
