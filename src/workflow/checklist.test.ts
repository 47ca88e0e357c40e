import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import { isUserError } from '../domain/errors.js';
import type { Storage } from '../storage/schema.js';
import { checklistCounts, checklistHistory, parseChecklistAnswers, recordChecklist, type ChecklistAnswers } from './checklist.js';
import { buildIncidents } from './incidents-build.js';
import { createIsp } from './isps.js';
import { incidentByTrackingId, listIncidents } from './site.js';
import { event, insertEvents } from './test-support.js';

async function twoIncidents(storage: Storage): Promise<{ a: string; b: string }> {
  await createIsp(storage, { id: 'isp-a', name: 'Example Net', prefixes: ['192.0.2.0/24'] }, 'setup');
  await createIsp(storage, { id: 'isp-b', name: 'Other Net', prefixes: ['198.51.100.0/24'] }, 'setup');
  await insertEvents(storage, [event('2024-05-01T10:00:00.000Z', '192.0.2.10', 'Example Net'), event('2024-05-01T10:00:00.000Z', '198.51.100.7', 'Other Net')]);
  await buildIncidents(storage, { now: new Date('2024-05-02T00:00:00.000Z') });
  const a = (await listIncidents(storage, { ispId: 'isp-a' })).incidents[0]!.trackingId;
  const b = (await listIncidents(storage, { ispId: 'isp-b' })).incidents[0]!.trackingId;
  return { a, b };
}

const ALL_YES: ChecklistAnswers = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes' };

dialectTest('checklist: each submission is kept with its time, the incident completes, the ISP sees counts of its own only', async (_t, storage) => {
  const { a, b } = await twoIncidents(storage);
  const first = await recordChecklist(storage, a, { q1: 'yes', q2: 'no', q3: 'unknown', q4: 'unknown', q5: 'yes' }, '2024-05-10T08:00:00Z');
  assert.equal(first?.submittedAt, '2024-05-10T08:00:00.000Z');
  const inc = await incidentByTrackingId(storage, a);
  // The state itself only moves where the state machine allows (not from "detected"); the stamps are set.
  assert.equal(inc?.completedAt, '2024-05-10T08:00:00.000Z');
  assert.equal(inc?.visitedAt, '2024-05-10T08:00:00.000Z', 'completing implies the visit');
  await recordChecklist(storage, a, ALL_YES, new Date('2024-05-11T08:00:00Z'));
  const history = await checklistHistory(storage, a);
  assert.deepEqual(history.map((h) => [h.submittedAt, Object.values(h.answers).join(' ')]), [
    ['2024-05-10T08:00:00.000Z', 'yes no unknown unknown yes'],
    ['2024-05-11T08:00:00.000Z', 'yes yes yes yes yes'],
  ]);
  assert.equal((await incidentByTrackingId(storage, a))?.completedAt, '2024-05-10T08:00:00.000Z', 'the first completion time stays');
  assert.deepEqual(Object.fromEntries(await checklistCounts(storage, 'isp-a')), { [a]: { submissions: 2, yes: 5, no: 0, unknown: 0 } });
  assert.deepEqual(Object.fromEntries(await checklistCounts(storage, 'isp-b')), {}, 'another ISP sees nothing of it');
  assert.equal((await incidentByTrackingId(storage, b))?.state, 'detected');
});

dialectTest('checklist: unknown IDs and hostile answers record nothing', async (_t, storage) => {
  const { a } = await twoIncidents(storage);
  assert.equal(await recordChecklist(storage, 'AAAAAAAAAAAAAAAAAAAAAAAA', ALL_YES, '2024-05-10T08:00:00Z'), null);
  assert.equal(await recordChecklist(storage, '', ALL_YES), null);
  const bad: unknown[] = [
    null,
    [],
    'yes',
    { ...ALL_YES, q3: 'maybe' },
    { ...ALL_YES, q5: undefined },
    { ...ALL_YES, q1: 'YES' },
    { ...ALL_YES, q2: 1 },
    { ...ALL_YES, comment: 'my name is …' },
    { ...ALL_YES, q4: 'x'.repeat(100_000) },
  ];
  for (const input of bad) {
    await assert.rejects(recordChecklist(storage, a, input as ChecklistAnswers, '2024-05-10T08:00:00Z'), (e) => isUserError(e) && e.code === 'USAGE', JSON.stringify(input)?.slice(0, 40));
  }
  await assert.rejects(recordChecklist(storage, a, ALL_YES, 'not a time'), isUserError);
  assert.deepEqual(await checklistHistory(storage, a), []);
  assert.equal((await incidentByTrackingId(storage, a))?.completedAt, null);
  assert.deepEqual(parseChecklistAnswers({ q5: 'no', q4: 'no', q3: 'no', q2: 'no', q1: 'unknown' }), { q1: 'unknown', q2: 'no', q3: 'no', q4: 'no', q5: 'no' });
});
