import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, tid, twoIspApp } from '../app-fake.test-support.js';

describe('ISP API on fake services', () => {
  test('no token, a malformed header or a wrong token is 401 with the error shape, on every route', async () => {
    const { app } = await twoIspApp();
    const routes: [string, string][] = [
      ['GET', '/api/isp/v1/requests'],
      ['GET', '/api/isp/v1/requests/req-isp-a-2024W19'],
      ['POST', '/api/isp/v1/answers'],
      ['POST', '/api/isp/v1/notices'],
      ['GET', '/api/isp/v1/activity'],
    ];
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Basic Zm9vOmJhcg==' }, bearer('nope'), { authorization: 'Bearer ' }, bearer('x'.repeat(5000))]) {
        const res = await app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? '{}' : undefined });
        assert.equal(res.statusCode, 401, `${method} ${url} ${JSON.stringify(headers).slice(0, 40)}`);
        assert.equal(res.json().error.code, 'UNAUTHORIZED');
        assert.equal(typeof res.json().error.message, 'string');
      }
    }
  });

  test('ISP A cannot list, download, answer, report notices for or read activity of ISP B', async () => {
    const { app, w, tokA } = await twoIspApp();
    const list = (await app.inject({ url: '/api/isp/v1/requests', headers: bearer(tokA) })).json();
    assert.deepEqual(list.requests.map((r: { requestId: string }) => r.requestId), ['req-isp-a-2024W19']);
    for (const format of ['json', 'csv', 'xarf']) {
      const foreign = await app.inject({ url: `/api/isp/v1/requests/req-isp-b-2024W19?format=${format}`, headers: bearer(tokA) });
      const unknown = await app.inject({ url: `/api/isp/v1/requests/req-isp-z-2024W19?format=${format}`, headers: bearer(tokA) });
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.body, unknown.body, 'foreign and unknown answer alike');
    }
    const answer = await app.inject({
      method: 'POST', url: '/api/isp/v1/answers', headers: bearer(tokA),
      payload: { answers: [{ trackingId: tid(1, 'isp-b'), result: 'identified', subscriberKey: 'k1' }] },
    });
    assert.equal(answer.statusCode, 422);
    assert.equal(answer.json().applied, 0);
    assert.equal(answer.json().rejected[0].trackingId, tid(1, 'isp-b'));
    assert.equal(w.answers.size, 0);
    const notice = await app.inject({
      method: 'POST', url: '/api/isp/v1/notices', headers: bearer(tokA),
      payload: { notices: [{ trackingId: tid(1, 'isp-b'), stage: 1, channel: 'email', sentAt: '2024-05-08T09:00:00Z' }] },
    });
    assert.equal(notice.statusCode, 422);
    assert.equal(notice.json().recorded, 0);
    assert.equal(notice.json().rejected[0].index, 0);
    assert.equal(w.notices.length, 0);
    const act = (await app.inject({ url: '/api/isp/v1/activity', headers: bearer(tokA) })).json();
    assert.deepEqual(act.incidents.map((i: { trackingId: string }) => i.trackingId).sort(), [tid(1, 'isp-a'), tid(2, 'isp-a')].sort());
  });

  test('downloads: JSON, CSV with one row per observation, X-ARF array', async () => {
    const { app, tokA } = await twoIspApp();
    const j = await app.inject({ url: '/api/isp/v1/requests/req-isp-a-2024W19', headers: bearer(tokA) });
    assert.equal(j.statusCode, 200);
    assert.equal(j.json().items.length, 2);
    const c = await app.inject({ url: '/api/isp/v1/requests/req-isp-a-2024W19?format=csv', headers: bearer(tokA) });
    assert.match(c.headers['content-type'] as string, /^text\/csv/);
    assert.match(c.headers['content-disposition'] as string, /attachment; filename="request-req-isp-a-2024W19\.csv"/);
    assert.equal(c.body.trim().split('\n').length, 3);
    const x = await app.inject({ url: '/api/isp/v1/requests/req-isp-a-2024W19?format=xarf', headers: bearer(tokA) });
    assert.equal(x.json().length, 2);
    assert.equal(x.json()[0].ReporterInfo.ReporterOrg, 'cleancenter');
    const bad = await app.inject({ url: '/api/isp/v1/requests/req-isp-a-2024W19?format=pdf', headers: bearer(tokA) });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'BAD_REQUEST');
  });

  test('answers: JSON and CSV apply; malformed, duplicate, oversized and wrong type are refused', async () => {
    const { app, w, tokA } = await twoIspApp({ answerBytes: 2048 });
    const ok = await app.inject({
      method: 'POST', url: '/api/isp/v1/answers', headers: bearer(tokA),
      payload: { answers: [{ trackingId: tid(1, 'isp-a'), result: 'identified', subscriberKey: 'hmac-1' }] },
    });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { applied: 1 });
    const csv = await app.inject({
      method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'text/csv; charset=utf-8' },
      payload: `tracking_id,result,subscriber_key\n${tid(2, 'isp-a')},not-found,\n`,
    });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(w.answers.get(tid(2, 'isp-a')), 'not-found');

    const dup = await app.inject({
      method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'text/csv' },
      payload: `tracking_id,result,subscriber_key\n${tid(1, 'isp-a')},identified,k\n${tid(1, 'isp-a')},identified,k\n`,
    });
    assert.equal(dup.statusCode, 422);
    assert.deepEqual(dup.json().rejected.map((r: { row: number }) => r.row), [2]);

    const malformed = await app.inject({ method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'application/json' }, payload: '{"answers": [' });
    assert.equal(malformed.statusCode, 422);
    assert.equal(malformed.json().rejected.length, 1);

    const big = await app.inject({
      method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'text/csv' },
      payload: `tracking_id,result,subscriber_key\n${`${tid(1, 'isp-a')},identified,k\n`.repeat(100)}`,
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'TOO_LARGE');

    const xml = await app.inject({ method: 'POST', url: '/api/isp/v1/answers', headers: { ...bearer(tokA), 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('notices: bad shapes are 400 and nothing is recorded', async () => {
    const { app, w, tokA } = await twoIspApp();
    for (const payload of [
      { notices: [{ trackingId: tid(1, 'isp-a'), stage: 0, channel: 'email', sentAt: '2024-05-08T09:00:00Z' }] },
      { notices: [{ trackingId: tid(1, 'isp-a'), stage: 1, channel: 'pigeon', sentAt: '2024-05-08T09:00:00Z' }] },
      { notices: [{ trackingId: tid(1, 'isp-a'), stage: 1, channel: 'email', sentAt: 'yesterday' }] },
      { notices: 'x' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/isp/v1/notices', headers: bearer(tokA), payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, 'BAD_REQUEST');
    }
    const seen: unknown[] = [];
    const record = w.services.recordNotices;
    w.services.recordNotices = async (st, isp, list) => {
      seen.push(...list);
      return record(st, isp, list);
    };
    const good = await app.inject({
      method: 'POST', url: '/api/isp/v1/notices', headers: bearer(tokA),
      payload: { notices: [{ trackingId: tid(1, 'isp-a'), stage: 2, channel: 'postal', sentAt: '2024-05-08T09:00:00Z', body: 'Dear customer, 192.0.2.1' }] },
    });
    assert.deepEqual(good.json(), { recorded: 1 });
    // Contents never reach the center's services: fields beyond the four facts are dropped.
    assert.deepEqual(seen, [{ trackingId: tid(1, 'isp-a'), stage: 2, channel: 'postal', sentAt: '2024-05-08T09:00:00Z' }]);
    assert.equal(w.notices.length, 1);
  });

  test('JSON answers carry security headers and no-store', async () => {
    const { app, tokA } = await twoIspApp();
    const res = await app.inject({ url: '/api/isp/v1/requests', headers: bearer(tokA) });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(res.headers['content-security-policy'] as string, /default-src 'self'.*frame-ancestors 'none'/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});
