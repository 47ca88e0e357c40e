import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookiesOf, csrfOf, form, tid, twoIspApp, postLogin } from '../app-fake.test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function portalSession(app: Awaited<ReturnType<typeof twoIspApp>>['app'], token: string): Promise<{ cookie: string; csrf: string; body: string }> {
  const res = await postLogin(app, 'portal', { token });
  assert.equal(res.statusCode, 303);
  const cookie = cookiesOf(res);
  const page = await app.inject({ url: '/portal?lang=en', headers: { cookie } });
  return { cookie: `${cookie}; ${cookiesOf(page)}`, csrf: csrfOf(page.body), body: page.body };
}

describe('ISP portal on fake services', () => {
  test('a wrong token does not sign in; the signed-in page lists only this ISP’s requests with downloads', async () => {
    const { app, tokA } = await twoIspApp();
    const bad = await postLogin(app, 'portal', { token: 'nope' });
    assert.equal(bad.statusCode, 401);
    assert.doesNotMatch(String(bad.headers['set-cookie']), /cc_portal=/, 'no session cookie');
    const { body } = await portalSession(app, tokA);
    assert.match(body, /Example Net A/);
    assert.match(body, /href="\/portal\/requests\/req-isp-a-2024W19\?format=csv"/);
    assert.match(body, /href="\/portal\/requests\/req-isp-a-2024W19\?format=xarf"/);
    assert.doesNotMatch(body, /isp-b/);
    assert.match(body, /<td>incidents<\/td><td>2<\/td>/, 'own figures');
  });

  test('downloads and uploads are scoped to the signed-in ISP; the other ISP’s request is 404', async () => {
    const { app, w, tokB } = await twoIspApp();
    const { cookie, csrf } = await portalSession(app, tokB);
    const own = await app.inject({ url: '/portal/requests/req-isp-b-2024W19?format=csv', headers: { cookie } });
    assert.equal(own.statusCode, 200);
    assert.match(own.headers['content-type'] as string, /text\/csv/);
    const foreign = await app.inject({ url: '/portal/requests/req-isp-a-2024W19?format=csv', headers: { cookie } });
    assert.equal(foreign.statusCode, 404);
    const up = await app.inject({
      method: 'POST', url: '/portal/answers', headers: { ...FORM, cookie },
      payload: form({ _csrf: csrf, csv: `tracking_id,result,subscriber_key\r\n${tid(1, 'isp-a')},identified,k1\r\n` }),
    });
    assert.equal(up.statusCode, 422);
    assert.match(up.body, /unknown tracking ID/);
    assert.equal(w.answers.size, 0);
    const ok = await app.inject({
      method: 'POST', url: '/portal/answers', headers: { ...FORM, cookie },
      payload: form({ _csrf: csrf, csv: `tracking_id,result,subscriber_key\r\n${tid(1, 'isp-b')},identified,k1\r\n` }),
    });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Answers applied: 1/);
  });

  test('uploads need the CSRF token; sign-out ends the session', async () => {
    const { app, w, tokA } = await twoIspApp();
    const { cookie, csrf } = await portalSession(app, tokA);
    const csv = `tracking_id,result,subscriber_key\n${tid(1, 'isp-a')},identified,k1\n`;
    for (const bad of [{}, { _csrf: 'forged' }]) {
      const r = await app.inject({ method: 'POST', url: '/portal/answers', headers: { ...FORM, cookie }, payload: form({ csv, ...bad }) });
      assert.equal(r.statusCode, 403);
    }
    const anon = await app.inject({ method: 'POST', url: '/portal/answers', headers: FORM, payload: form({ csv, _csrf: csrf }) });
    assert.equal(anon.statusCode, 401);
    assert.equal(w.answers.size, 0);
    await app.inject({ method: 'POST', url: '/portal/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
    const after = await app.inject({ url: '/portal', headers: { cookie } });
    assert.match(after.body, /name="token"/, 'back to the sign-in form');
  });

  test('hostile content from another party is escaped on the portal (ISP name)', async () => {
    const { app, tokB } = await twoIspApp();
    const { body } = await portalSession(app, tokB);
    assert.doesNotMatch(body, /<script>alert/);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('a large textarea upload (beyond the 64 KiB form default) reaches the workflow; ja is the default language', async () => {
    const { app, tokA } = await twoIspApp();
    const res = await postLogin(app, 'portal', { token: tokA });
    const cookie = cookiesOf(res);
    const ja = await app.inject({ url: '/portal', headers: { cookie } });
    assert.match(ja.body, /<html lang="ja">/);
    assert.match(ja.body, /識別依頼/);
    assert.match(ja.body, /href="\/portal\?lang=en"/);
    const rows = Array.from({ length: 3000 }, () => `${tid(1, 'isp-a')},identified,${'k'.repeat(40)}`);
    const big = await app.inject({
      method: 'POST', url: '/portal/answers', headers: { ...FORM, cookie },
      payload: form({ _csrf: csrfOf(ja.body), csv: `tracking_id,result,subscriber_key\n${rows.join('\n')}\n` }),
    });
    assert.ok(big.payload.length > 0);
    assert.equal(big.statusCode, 422, 'parsed and judged by the workflow (duplicates), not refused as too large');
    assert.match(big.body, /duplicate tracking ID/);
  });

  test('failed token sign-ins are rate-limited per address', async () => {
    const { app, tokA } = await twoIspApp({ loginFailures: 2 });
    for (let i = 0; i < 2; i++) assert.equal((await postLogin(app, 'portal', { token: `guess-${i}` })).statusCode, 401);
    const blocked = await postLogin(app, 'portal', { token: tokA });
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.headers['set-cookie'], undefined);
  });

  test('sign-in forms carry a login CSRF token: no cookie, no field, or another browser’s token is 403 and signs nobody in', async () => {
    const { app, tokA } = await twoIspApp();
    for (const area of ['portal', 'operator'] as const) {
      const page = await app.inject({ url: `/${area}` });
      const set = String(page.headers['set-cookie']);
      assert.match(set, new RegExp(`cc_${area}_login=`));
      assert.match(set, /HttpOnly/);
      assert.match(set, /SameSite=Strict/);
      assert.match(set, new RegExp(`Path=/${area}`));
      const csrf = csrfOf(page.body);
      const other = await app.inject({ url: `/${area}` });
      const fields: Record<string, string> = area === 'portal' ? { token: tokA } : { username: 'alice', password: 'correct horse battery staple' };
      const attempts: [string, Record<string, string>, string][] = [
        ['no cookie', { ...fields, _csrf: csrf }, ''],
        ['no field', fields, cookiesOf(page)],
        ['another browser’s token', { ...fields, _csrf: csrfOf(other.body) }, cookiesOf(page)],
        ['unsigned cookie', { ...fields, _csrf: csrf }, `cc_${area}_login=${csrf}`],
      ];
      for (const [name, payload, cookie] of attempts) {
        const res = await app.inject({ method: 'POST', url: `/${area}/login`, headers: { ...FORM, ...(cookie ? { cookie } : {}) }, payload: form(payload) });
        assert.equal(res.statusCode, 403, `${area}: ${name}`);
        assert.doesNotMatch(String(res.headers['set-cookie']), new RegExp(`cc_${area}=`), `${area}: ${name}`);
      }
      const ok = await app.inject({ method: 'POST', url: `/${area}/login`, headers: { ...FORM, cookie: cookiesOf(page) }, payload: form({ ...fields, _csrf: csrf }) });
      assert.equal(ok.statusCode, 303, area);
      assert.match(String(ok.headers['set-cookie']), new RegExp(`cc_${area}_login=;`), 'the login token is dropped once signed in');
    }
  });
});
