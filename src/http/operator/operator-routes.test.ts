import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookiesOf, csrfOf, form, twoIspApp, postLogin } from '../app-fake.test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function signIn(app: Awaited<ReturnType<typeof twoIspApp>>['app']): Promise<{ cookie: string; csrf: string }> {
  const res = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
  assert.equal(res.statusCode, 303);
  const cookie = cookiesOf(res);
  const set = String(res.headers['set-cookie']);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  assert.match(set, /Secure/, 'publicUrl is https');
  assert.match(set, /Path=\/operator/);
  const home = await app.inject({ url: '/operator', headers: { cookie } });
  return { cookie, csrf: csrfOf(home.body) };
}

describe('operator pages on fake services', () => {
  test('sign-in: wrong password is 401, the session cookie lets the operator in, pages need it', async () => {
    const { app } = await twoIspApp();
    const bad = await postLogin(app, 'operator', { username: 'alice', password: 'wrong' });
    assert.equal(bad.statusCode, 401);
    assert.doesNotMatch(String(bad.headers['set-cookie']), /cc_operator=/, 'no session cookie');
    for (const url of ['/operator/audit', '/operator/figures', '/operator/isps/new', '/operator/isps/isp-a']) {
      const anon = await app.inject({ url });
      assert.equal(anon.statusCode, 401, url);
      assert.match(anon.body, /href="\/operator"/, 'a way back to sign-in');
      assert.equal((await app.inject({ url, headers: { cookie: 'cc_operator=forged' } })).statusCode, 401, url);
    }
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/operator', headers: { cookie } });
    assert.match(home.body, /Example Net A/);
    // The hostile ISP name is shown as text.
    assert.match(home.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(home.body, /<script>/);
  });

  test('failed sign-ins are rate-limited per user name, even with the right password afterwards', async () => {
    const { app } = await twoIspApp({ loginFailures: 3 });
    for (let i = 0; i < 3; i++) {
      const r = await postLogin(app, 'operator', { username: 'alice', password: `guess${i}` });
      assert.equal(r.statusCode, 401);
    }
    const blocked = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
    assert.equal(blocked.statusCode, 429);
  });

  test('every state-changing form refuses a missing or wrong CSRF token with 403 and changes nothing', async () => {
    const { app, w } = await twoIspApp();
    const { cookie, csrf } = await signIn(app);
    const posts: [string, Record<string, string>][] = [
      ['/operator/isps', { id: 'isp-c', name: 'C', asns: '64502', prefixes: '' }],
      ['/operator/isps/isp-a', { name: 'Renamed', asns: '64500', prefixes: '' }],
      ['/operator/isps/isp-a/token', {}],
      ['/operator/logout', {}],
    ];
    const before = JSON.stringify([w.isps, [...w.tokens]]);
    for (const [url, data] of posts) {
      for (const bad of [{}, { _csrf: 'wrong' }, { _csrf: `${csrf}x` }]) {
        const r = await app.inject({ method: 'POST', url, headers: { ...FORM, cookie }, payload: form({ ...data, ...bad }) });
        assert.equal(r.statusCode, 403, `${url} ${JSON.stringify(bad)}`);
      }
    }
    assert.equal(JSON.stringify([w.isps, [...w.tokens]]), before);
    assert.equal(w.audit.filter((a) => a.actor.startsWith('operator:')).length, 0);
  });

  test('add an ISP, edit it, rotate its token (shown once); every change is made as the operator', async () => {
    const { app, w } = await twoIspApp();
    const { cookie, csrf } = await signIn(app);
    const add = await app.inject({
      method: 'POST', url: '/operator/isps', headers: { ...FORM, cookie },
      payload: form({ _csrf: csrf, id: 'isp-c', name: 'Example C', asns: 'AS64502, 64503', prefixes: '203.0.113.0/24\n2001:db8::/32' }),
    });
    assert.equal(add.statusCode, 303);
    assert.deepEqual(w.isps.find((i) => i.id === 'isp-c'), { id: 'isp-c', name: 'Example C', asns: [64502, 64503], prefixes: ['203.0.113.0/24', '2001:db8::/32'] });
    const badAsn = await app.inject({ method: 'POST', url: '/operator/isps', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, name: 'D', asns: 'ASX', prefixes: '' }) });
    assert.equal(badAsn.statusCode, 400);
    assert.match(badAsn.body, /not an AS number: ASX/);
    const edit = await app.inject({ method: 'POST', url: '/operator/isps/isp-c', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, name: 'Example C2', asns: '64502', prefixes: '203.0.113.0/25' }) });
    assert.equal(edit.statusCode, 200);
    assert.deepEqual(w.isps.find((i) => i.id === 'isp-c')?.prefixes, ['203.0.113.0/25']);
    const rot = await app.inject({ method: 'POST', url: '/operator/isps/isp-c/token', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
    assert.equal(rot.statusCode, 200);
    const token = [...w.tokens].find(([, id]) => id === 'isp-c')?.[0];
    assert.ok(token !== undefined && rot.body.includes(token));
    assert.equal(rot.headers['cache-control'], 'no-store');
    const unknown = await app.inject({ method: 'POST', url: '/operator/isps/isp-zz/token', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(
      w.audit.filter((a) => a.actor === 'operator:alice').map((a) => a.action).reverse(),
      ['isp.create', 'isp.update', 'isp.token.rotate'],
    );
    const audit = await app.inject({ url: '/operator/audit', headers: { cookie } });
    assert.match(audit.body, /isp\.token\.rotate/);
    const figures = await app.inject({ url: '/operator/figures?isp=isp-a&month=2024-05', headers: { cookie } });
    assert.equal(figures.statusCode, 200);
    assert.match(figures.body, /<td>incidents<\/td><td>2<\/td>/);
    const out = await app.inject({ method: 'POST', url: '/operator/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
    assert.equal(out.statusCode, 303);
    assert.equal((await app.inject({ url: '/operator/audit', headers: { cookie } })).statusCode, 401, 'the session ends at sign-out');
  });

  test('cookies are not Secure when the center is served over plain http (loopback development)', async () => {
    const { app } = await twoIspApp({}, 'http://127.0.0.1:8080');
    const res = await postLogin(app, 'operator', { username: 'alice', password: 'correct horse battery staple' });
    assert.doesNotMatch(String(res.headers['set-cookie']), /Secure/);
  });
});
