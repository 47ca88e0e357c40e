import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import { wdb } from '../storage/repositories/workflow-tables.js';
import { event, insertEvents } from './test-support.js';
import { applyAnswerUpload, buildIncidents, buildWeeklyRequests, createIsp, listRequests } from './index.js';

const A = 'Example Net';

/** Four sources at one ISP, first seen an hour apart, all on this week's request. */
async function fourRequested(storage: Storage): Promise<string[]> {
  await createIsp(storage, { id: 'example-net', name: A, prefixes: ['192.0.2.0/24'] }, 'op1');
  await insertEvents(storage, [1, 2, 3, 4].map((n) => event(`2024-05-01T0${n}:00:00.000Z`, `192.0.2.${n}`, A)));
  await buildIncidents(storage, { now: new Date('2024-05-08T00:00:00.000Z') });
  await buildWeeklyRequests(storage, { now: new Date('2024-05-08T00:00:00.000Z'), ispId: 'example-net' });
  const rows = await wdb(storage).selectFrom('incidents').select(['tracking_id', 'src_ip']).orderBy('src_ip').execute();
  return rows.map((r) => r.tracking_id);
}

const csv = (rows: string[][]): string => `tracking_id,result,subscriber_key\n${rows.map((r) => r.join(',')).join('\n')}\n`;

async function upload(storage: Storage, rows: string[][]): Promise<void> {
  const r = await applyAnswerUpload(storage, 'example-net', { body: csv(rows), contentType: 'text/csv' }, 'isp:example-net');
  assert.ok(r.ok, JSON.stringify(r));
}

dialectTest('answers: a request counts an item once, until a later request lists the incident again', async (_t, storage) => {
  const [t1, t2, t3] = (await fourRequested(storage)) as [string, string, string, string];
  const counts = async (): Promise<number[]> => (await listRequests(storage, 'example-net')).map((r) => r.answeredCount);
  await upload(storage, [[t1, 'identified', 'k1'], [t2, 'not-found', '']]);
  assert.deepEqual(await counts(), [2]);
  // Changing an answer is not a second answer for the same request; re-sending changes nothing.
  await upload(storage, [[t2, 'not-our-customer', ''], [t1, 'identified', 'k1']]);
  assert.deepEqual(await counts(), [2]);
  // New activity within the episode of the unanswered t3 and of t2 (now not-our-customer): only t3 is asked again.
  await insertEvents(storage, [
    event('2024-05-07T00:00:00.000Z', '192.0.2.3', A, { import_id: 'imp-2' }),
    event('2024-05-07T00:00:00.000Z', '192.0.2.2', A, { import_id: 'imp-2' }),
  ]);
  await buildIncidents(storage, { now: new Date('2024-05-10T00:00:00.000Z') });
  await buildWeeklyRequests(storage, { now: new Date('2024-05-15T00:00:00.000Z'), ispId: 'example-net' });
  // Newest first: the second request lists t3 alone; its answer counts for both requests.
  assert.deepEqual((await listRequests(storage, 'example-net')).map((r) => r.itemCount), [1, 4]);
  await upload(storage, [[t3, 'identified', 'k3']]);
  assert.deepEqual(await counts(), [1, 3]);
});

dialectTest('answers: keys are linked as they stand after the upload (a key moved elsewhere leaves its old incident)', async (_t, storage) => {
  const [t1, t2, t3, t4] = (await fourRequested(storage)) as [string, string, string, string];
  const firstNotice = async (): Promise<(number | null)[]> =>
    (await wdb(storage).selectFrom('incidents').select(['first_notice', 'src_ip']).orderBy('src_ip').execute()).map((r) => r.first_notice);
  // One user with two PCs: the earlier sighting is the first-time incident.
  await upload(storage, [[t2, 'identified', 'k-a'], [t1, 'identified', 'k-a'], [t3, 'identified', 'k-b']]);
  assert.deepEqual(await firstNotice(), [1, 0, 1, null]);
  // The ISP corrects itself: t1 was another user. In the same upload t4 gets t1's old key, whose
  // only holder is then t2, identified earlier: t4 is a repeat; t1 is first-time with its new key.
  await upload(storage, [[t1, 'identified', 'k-c'], [t4, 'identified', 'k-a']]);
  assert.deepEqual(await firstNotice(), [1, 0, 1, 0]);
  // A key answered not-found is dropped: t3's key no longer makes anyone a repeat.
  await upload(storage, [[t3, 'not-found', ''], [t2, 'identified', 'k-b']]);
  const rows = await wdb(storage).selectFrom('incidents').select(['subscriber_key', 'state', 'first_notice']).orderBy('src_ip').execute();
  assert.deepEqual(rows.map((r) => [r.state, r.subscriber_key, r.first_notice]), [
    ['identified', 'k-c', 1],
    ['identified', 'k-b', 1],
    ['not-found', null, null],
    ['identified', 'k-a', 0],
  ]);
  const log = await wdb(storage).selectFrom('incident_state_log').select(['state', 'detail']).where('detail', 'like', 'answer upload %').execute();
  assert.equal(log.length, 3 + 2 + 2);
  const answers = await wdb(storage).selectFrom('answers').select(['result', 'subscriber_key']).execute();
  assert.deepEqual(answers.map((a) => `${a.result}:${a.subscriber_key}`).sort(), [
    'identified:k-a', 'identified:k-a', 'identified:k-a', 'identified:k-b', 'identified:k-b', 'identified:k-c', 'not-found:null',
  ]);
});

dialectTest('answers: keys holding JSON and CSV punctuation are stored as sent, linked, and a re-sent upload changes nothing', async (_t, storage) => {
  const [t1, t2, t3] = (await fourRequested(storage)) as [string, string, string, string];
  // Printable ASCII without spaces, so commas, quotes, backslashes and braces are all allowed.
  const odd = 'k,1"\\{}:[]';
  const body = (rows: [string, string, string | undefined][]): string =>
    JSON.stringify({ answers: rows.map(([trackingId, result, subscriberKey]) => (subscriberKey === undefined ? { trackingId, result } : { trackingId, result, subscriberKey })) });
  const send = async (rows: [string, string, string | undefined][]): Promise<number> => {
    const r = await applyAnswerUpload(storage, 'example-net', { body: body(rows), contentType: 'application/json' }, 'isp:example-net');
    assert.ok(r.ok, JSON.stringify(r));
    return r.changed;
  };
  assert.equal(await send([[t1, 'identified', odd], [t2, 'not-found', undefined]]), 2);
  assert.equal(await send([[t1, 'identified', odd], [t2, 'not-found', undefined]]), 0);
  // The same key on another incident, first seen later: a repeat user.
  assert.equal(await send([[t3, 'identified', odd]]), 1);
  const rows = await wdb(storage).selectFrom('incidents').select(['state', 'subscriber_key', 'first_notice', 'answer_seq']).orderBy('src_ip').execute();
  assert.deepEqual(rows.map((r) => [r.state, r.subscriber_key, r.first_notice, Number(r.answer_seq)]), [
    ['identified', odd, 1, 1],
    ['not-found', null, null, 1],
    ['identified', odd, 0, 1],
    ['requested', null, null, 0],
  ]);
  const answers = await wdb(storage).selectFrom('answers').select(['result', 'subscriber_key']).where('result', '=', 'identified').execute();
  assert.deepEqual(answers.map((a) => a.subscriber_key), [odd, odd]);
});

dialectTest('answers: an incident id the comma-joined SQLite look-up cannot carry stops the upload instead of misreading it', async (_t, storage) => {
  const [t1, t2] = (await fourRequested(storage)) as [string, string, string, string];
  // Never made by newId (URL-safe text); written by hand to prove the guard.
  await wdb(storage).updateTable('incidents').set({ incident_id: 'inc_a,b' }).where('tracking_id', '=', t1).execute();
  const sent = applyAnswerUpload(storage, 'example-net', { body: csv([[t1, 'identified', 'k1'], [t2, 'not-found', '']]), contentType: 'text/csv' }, 'isp:example-net');
  if (storage.dialect === 'sqlite') {
    await assert.rejects(sent, /holds a comma/);
    const states = await wdb(storage).selectFrom('incidents').select('state').where('tracking_id', 'in', [t1, t2]).execute();
    assert.deepEqual(states.map((s) => s.state), ['requested', 'requested']);
  } else {
    // PostgreSQL's look-up is one JSON value: nothing to misread.
    assert.equal((await sent).ok, true);
  }
});
