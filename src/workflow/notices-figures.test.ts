import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import { event, insertEvents } from './test-support.js';
import { applyAnswerUpload, buildIncidents, buildWeeklyRequests, createIsp, incidentByTrackingId, recordNotices, workflowFigures } from './index.js';

const NOW = new Date('2024-07-01T00:00:00.000Z');

/** Three incidents at one ISP, all identified: two share key "k-same" (one user, two PCs), one has "k-other". */
async function identified(storage: Storage): Promise<[string, string, string]> {
  await createIsp(storage, { id: 'example-net', name: 'Example Net', prefixes: ['192.0.2.0/24'] }, 'op');
  await insertEvents(storage, [
    event('2024-05-01T00:00:00.000Z', '192.0.2.1', 'Example Net'),
    event('2024-05-02T00:00:00.000Z', '192.0.2.2', 'Example Net'),
    event('2024-05-03T00:00:00.000Z', '192.0.2.3', 'Example Net'),
  ]);
  await buildIncidents(storage, { now: NOW, remediationDays: 3650 });
  const [req] = await buildWeeklyRequests(storage, { now: NOW });
  const ids = (req?.items ?? []).map((i) => i.trackingId) as [string, string, string];
  const keys = ['k-same', 'k-same', 'k-other'];
  const r = await applyAnswerUpload(storage, 'example-net', { body: JSON.stringify({ answers: ids.map((t, i) => ({ trackingId: t, result: 'identified', subscriberKey: keys[i] })) }), contentType: 'application/json' }, 'isp');
  assert.ok(r.ok);
  return ids;
}

dialectTest('notices: hostile batches are refused whole with one reason per entry', async (_t, storage) => {
  const [t1] = await identified(storage);
  const r = await recordNotices(
    storage,
    'example-net',
    [
      { trackingId: t1, stage: 1, channel: 'email', sentAt: '2024-06-01T00:00:00.000Z' },
      { trackingId: t1, stage: 0, channel: 'email', sentAt: '2024-06-01T00:00:00.000Z' },
      { trackingId: t1, stage: 1.5, channel: 'email', sentAt: '2024-06-01T00:00:00.000Z' },
      { trackingId: t1, stage: 1, channel: 'pigeon', sentAt: '2024-06-01T00:00:00.000Z' } as never,
      { trackingId: t1, stage: 1, channel: 'email', sentAt: 'yesterday' },
      { trackingId: t1, stage: 1, channel: 'email', sentAt: '2099-01-01T00:00:00.000Z' },
      { trackingId: '../../etc/passwd', stage: 1, channel: 'email', sentAt: '2024-06-01T00:00:00.000Z' },
      null as never,
    ],
    NOW,
  );
  assert.ok(!r.ok);
  assert.deepEqual(r.rejected.map((x) => x.index), [1, 2, 3, 4, 5, 6, 7]);
  for (const x of r.rejected) assert.match(x.reason, /^malformed: /);
  assert.equal((await incidentByTrackingId(storage, t1))?.state, 'identified');
});

dialectTest('figures: first-time and repeat users by hand', async (_t, storage) => {
  const [a, b, c] = await identified(storage);
  // May: user k-same gets its first notice (PC a). June: k-same again (PC b) and k-other for the first time.
  assert.ok((await recordNotices(storage, 'example-net', [{ trackingId: a, stage: 1, channel: 'email', sentAt: '2024-05-20T00:00:00.000Z' }], NOW)).ok);
  assert.ok(
    (
      await recordNotices(
        storage,
        'example-net',
        [
          { trackingId: b, stage: 1, channel: 'email', sentAt: '2024-06-10T00:00:00.000Z' },
          { trackingId: c, stage: 1, channel: 'email', sentAt: '2024-06-11T00:00:00.000Z' },
          { trackingId: c, stage: 2, channel: 'postal', sentAt: '2024-06-18T00:00:00.000Z' },
        ],
        NOW,
      )
    ).ok,
  );
  // May: k-same first noticed in May → 1 first-time, 0 repeat.
  assert.deepEqual((await workflowFigures(storage, { month: '2024-05' })).users, { firstTime: 1, repeat: 0 });
  // June: k-other first noticed in June (first-time); k-same first noticed in May (repeat).
  const june = await workflowFigures(storage, { month: '2024-06', ispId: 'example-net' });
  assert.deepEqual(june.users, { firstTime: 1, repeat: 1 });
  assert.deepEqual(june.notices, [{ stage: 1, channel: 'email', count: 2 }, { stage: 2, channel: 'postal', count: 1 }]);
  assert.equal(june.reached.notified, 2);
  // All time: k-same noticed for two incidents (repeat), k-other for one (first-time).
  assert.deepEqual((await workflowFigures(storage)).users, { firstTime: 1, repeat: 1 });
  assert.deepEqual((await workflowFigures(storage)).byState.notified, 3);
  assert.deepEqual((await workflowFigures(storage, { ispId: 'nobody' })).users, { firstTime: 0, repeat: 0 });
  await assert.rejects(workflowFigures(storage, { month: '2024-13' }), /must look like/);
});
