import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, twoIspApp } from './app-fake.test-support.js';

test('the real server on 127.0.0.1:0 answers fetch: API with token, 401 without, a page with headers', async () => {
  const { app, tokA } = await twoIspApp();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${address}/api/isp/v1/requests`, { headers: bearer(tokA) });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { requests: unknown[] }).requests.length, 1);
    const no = await fetch(`${address}/api/isp/v1/requests`);
    assert.equal(no.status, 401);
    assert.deepEqual(await no.json(), { error: { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <ISP API token>' } });
    const csv = await fetch(`${address}/api/isp/v1/answers`, { method: 'POST', headers: { ...bearer(tokA), 'content-type': 'text/csv' }, body: 'garbage' });
    assert.equal(csv.status, 422);
    const page = await fetch(`${address}/check?lang=en`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(await page.text(), /Is my notice genuine\?/);
  } finally {
    await app.close();
  }
});
