import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import { event, insertEvents } from './test-support.js';
import { requestItemJsonPages, requestItemPages } from './requests.js';
import {
  applyAnswerUpload,
  buildIncidents,
  buildWeeklyRequests,
  createIsp,
  getRequest,
  listRequests,
  openRequestDownload,
  requestToCsv,
  requestToJson,
  requestToXarf,
} from './index.js';

const A = 'Example Net';
const NOW = new Date('2024-05-24T00:00:00.000Z');
const REPORTER = { org: 'Center', contact: 'abuse@center.example', domain: 'center.example' };
const URL_BASE = 'https://center.example';

async function text(chunks: AsyncIterable<string | Buffer> | null): Promise<string> {
  assert.ok(chunks);
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}

/** Five sources at ISP A, one with a protocol name a spreadsheet would run; requested once. */
async function requested(storage: Storage): Promise<string> {
  await createIsp(storage, { id: 'example-net', name: A, prefixes: ['192.0.2.0/24'] }, 'op1');
  await createIsp(storage, { id: 'other-isp', name: 'Other ISP', prefixes: ['198.51.100.0/24'] }, 'op1');
  await insertEvents(storage, [
    event('2024-05-01T10:00:01.000Z', '192.0.2.10', A, { src_port: 40001, sample_sha256: 'ab'.repeat(32) }),
    event('2024-05-03T08:00:00.000Z', '192.0.2.10', A, { src_port: 40777, dst_ip: '203.0.113.2' }),
    event('2024-05-02T00:00:00.000Z', '192.0.2.20', A, { vulnerability: 'MS04-011', protocol: '=cmd,"x"' }),
    event('2024-05-02T00:00:00.000Z', '192.0.2.30', A, { src_port: null, dst_ip: null, dst_port: null }),
    event('2024-05-01T00:00:00.000Z', '192.0.2.40', A),
    event('2024-05-02T00:00:00.000Z', '192.0.2.50', A),
  ]);
  await buildIncidents(storage, { gapDays: 7, now: NOW });
  const [req] = await buildWeeklyRequests(storage, { now: NOW, ispId: 'example-net' });
  assert.ok(req);
  return req.requestId;
}

dialectTest('request download: streamed JSON, CSV and X-ARF equal the whole-request exports, also after the incident grew', async (_t, storage) => {
  const requestId = await requested(storage);
  // New activity after the request: the request keeps its cut, the stream must apply it too.
  await insertEvents(storage, [event('2024-05-04T09:00:00.000Z', '192.0.2.10', A, { src_port: 40888, import_id: 'imp-2' })]);
  await buildIncidents(storage, { gapDays: 7, now: NOW });

  const req = await getRequest(storage, 'example-net', requestId, { publicUrl: URL_BASE });
  assert.ok(req);
  assert.equal(req.items.length, 5);
  const grown = req.items.find((i) => i.srcIp === '192.0.2.10');
  assert.deepEqual(grown?.observations.map((o) => o.srcPort), [40001, 40777], 'activity after the request is cut off');
  assert.equal(grown?.attackCount, 2);
  // Request order: first sighting, then tracking ID.
  assert.deepEqual(req.items.map((i) => i.srcIp), ['192.0.2.40', '192.0.2.10', ...req.items.slice(2).map((i) => i.srcIp)]);

  assert.equal(await text(await openRequestDownload(storage, 'example-net', requestId, 'json', { publicUrl: URL_BASE })), requestToJson(req));
  const csv = await text(await openRequestDownload(storage, 'example-net', requestId, 'csv', { publicUrl: URL_BASE }));
  assert.equal(csv, requestToCsv(req));
  assert.ok(csv.includes(`,'=cmd,""x""`) || csv.includes(`"'=cmd,""x"""`), 'formula text is defused and quoted');
  const xarf = await text(await openRequestDownload(storage, 'example-net', requestId, 'xarf', { publicUrl: URL_BASE, reporter: REPORTER }));
  assert.equal(xarf, JSON.stringify(requestToXarf(req, REPORTER)));

  // Another ISP's or an unknown request: null before any text, like getRequest.
  assert.equal(await openRequestDownload(storage, 'other-isp', requestId, 'json'), null);
  assert.equal(await openRequestDownload(storage, 'example-net', 'req_nope', 'csv'), null);
  assert.equal(await openRequestDownload(storage, 'example-net', 'x'.repeat(500), 'csv'), null);
  await assert.rejects(openRequestDownload(storage, 'example-net', requestId, 'xarf'), /reporter/);
});

dialectTest('request download: pages cover every item once, in order', async (_t, storage) => {
  const requestId = await requested(storage);
  const seen: number[] = [];
  let pages = 0;
  for await (const page of requestItemPages(storage, requestId, 2)) {
    pages++;
    seen.push(...page.map((r) => Number(r.seq)));
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
});

dialectTest('request list: answered counts follow the answers, and a re-request starts its own count', async (_t, storage) => {
  const requestId = await requested(storage);
  const req = await getRequest(storage, 'example-net', requestId);
  assert.ok(req);
  const ids = req.items.map((i) => i.trackingId);
  const upload = async (rows: string[]): Promise<void> => {
    const r = await applyAnswerUpload(storage, 'example-net', { body: `tracking_id,result,subscriber_key\n${rows.join('\n')}\n`, contentType: 'text/csv' }, 'isp:example-net');
    assert.ok(r.ok, JSON.stringify(r));
  };
  const counts = async (): Promise<[number, number][]> => (await listRequests(storage, 'example-net')).map((r) => [r.itemCount, r.answeredCount]);

  await upload([`${ids[0]},identified,k-1`, `${ids[1]},not-found,`]);
  assert.deepEqual(await counts(), [[5, 2]]);
  // The same answers again, and a changed answer: no item is counted twice.
  await upload([`${ids[0]},identified,k-1`, `${ids[1]},identified,k-2`]);
  assert.deepEqual(await counts(), [[5, 2]]);
  await upload([`${ids[2]},not-found,`, `${ids[3]},not-our-customer,`]);
  assert.deepEqual(await counts(), [[5, 4]]);

  // New activity from a not-found source and from an unanswered one: both are asked again.
  await insertEvents(storage, [
    event('2024-05-06T00:00:00.000Z', req.items[2]?.srcIp as string, A, { import_id: 'imp-3' }),
    event('2024-05-06T00:00:00.000Z', req.items[4]?.srcIp as string, A, { import_id: 'imp-3' }),
  ]);
  await buildIncidents(storage, { gapDays: 7, now: NOW });
  const [again] = await buildWeeklyRequests(storage, { now: new Date('2024-05-28T00:00:00.000Z'), ispId: 'example-net' });
  assert.deepEqual(again?.items.map((i) => i.trackingId).sort(), [ids[2], ids[4]].sort());
  assert.deepEqual(await counts(), [[2, 0], [5, 4]]);
  // Answering both: the new request counts both; the old one only the item it had not had answered.
  await upload([`${ids[2]},identified,k-3`, `${ids[4]},not-found,`]);
  assert.deepEqual(await counts(), [[2, 2], [5, 5]]);
});

dialectTest('request download: text the JSON must escape comes out as JSON.stringify writes it', async (_t, storage) => {
  await createIsp(storage, { id: 'example-net', name: A, prefixes: ['192.0.2.0/24'] }, 'op1');
  // The database writes the JSON download's text: quotes, backslashes, control and non-ASCII characters.
  const odd = `192.0.2.1"\\\n\t\u0001\u001f\u007f\u2028é😀`;
  await insertEvents(storage, [
    event('2024-05-01T00:00:00.000Z', odd, A, { vulnerability: 'CVE "x"\\\u0002', protocol: 'sm"b\\\u0003' }),
    event('2024-05-02T00:00:00.000Z', '192.0.2.2', A),
  ]);
  await buildIncidents(storage, { gapDays: 7, now: NOW });
  const [built] = await buildWeeklyRequests(storage, { now: NOW, ispId: 'example-net' });
  assert.ok(built);
  assert.equal(built.items[0]?.srcIp, odd);
  for (const publicUrl of [URL_BASE, 'https://center.example/"odd\\\u0005é', null]) {
    const req = await getRequest(storage, 'example-net', built.requestId, { publicUrl });
    assert.ok(req);
    assert.equal(await text(await openRequestDownload(storage, 'example-net', built.requestId, 'json', { publicUrl })), requestToJson(req));
  }
});

dialectTest('request download: JSON pages joined as read equal pages sorted in the database', async (_t, storage) => {
  const requestId = await requested(storage);
  const req = await getRequest(storage, 'example-net', requestId, { publicUrl: URL_BASE });
  assert.ok(req);
  const expected = requestToJson(req).replace(/^.*?"items":\[/, '').replace(/\]\}$/, '');
  for (const sorted of [false, true]) {
    const pages: string[] = [];
    for await (const page of requestItemJsonPages(storage, requestId, URL_BASE, 2, sorted)) pages.push(page.toString());
    assert.equal(pages.length, 3);
    assert.equal(pages.join(''), expected);
  }
});
