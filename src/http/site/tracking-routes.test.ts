import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { form, tid, twoIspApp } from '../app-fake.test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('end-user site on fake services', () => {
  test('the tracking page shows dates and bot names, no addresses, records a visit; ja by default, en on request', async () => {
    const { app, w } = await twoIspApp();
    const id = tid(1, 'isp-a');
    const ja = await app.inject({ url: `/t/${id}` });
    assert.equal(ja.statusCode, 200);
    assert.match(ja.body, /<html lang="ja">/);
    assert.match(ja.body, /観測の記録/);
    assert.match(ja.body, /Demo\.Bot\.A/);
    assert.match(ja.body, /2024-05-01/);
    assert.doesNotMatch(ja.body, /192\.0\.2|203\.0\.113/);
    assert.match(ja.body, new RegExp(`href="/t/${id}\\?lang=en"`), 'language switch');
    const en = await app.inject({ url: `/t/${id}`, headers: { 'accept-language': 'en-GB,en;q=0.9,ja;q=0.5' } });
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /What was observed/);
    const forced = await app.inject({ url: `/t/${id}?lang=ja`, headers: { 'accept-language': 'en' } });
    assert.match(forced.body, /<html lang="ja">/);
    assert.deepEqual(w.events, [1, 2, 3].map(() => ({ trackingId: id, event: 'visited' })));
  });

  test('HEAD requests and prefetches get an answer but count as no visit and no download', async () => {
    const { app, w } = await twoIspApp();
    const id = tid(1, 'isp-a');
    const head = await app.inject({ method: 'HEAD', url: `/t/${id}` });
    assert.equal(head.statusCode, 200);
    assert.equal((await app.inject({ method: 'HEAD', url: `/t/${id}/download` })).statusCode, 200);
    for (const headers of [{ 'sec-purpose': 'prefetch' }, { purpose: 'prefetch' }, { 'x-moz': 'prefetch' }, { 'sec-purpose': 'prefetch;prerender' }]) {
      assert.equal((await app.inject({ url: `/t/${id}`, headers })).statusCode, 200);
    }
    assert.deepEqual(w.events, []);
    assert.equal((await app.inject({ method: 'HEAD', url: `/t/${tid(99, 'isp-a')}` })).statusCode, 404, 'unknown IDs are still 404');
    await app.inject({ url: `/t/${id}` });
    assert.deepEqual(w.events, [{ trackingId: id, event: 'visited' }]);
  });

  test('download page records downloaded and serves a page, not a binary; the checklist records completed', async () => {
    const { app, w } = await twoIspApp();
    const id = tid(2, 'isp-a');
    const dl = await app.inject({ url: `/t/${id}/download?lang=en` });
    assert.equal(dl.statusCode, 200);
    assert.match(dl.headers['content-type'] as string, /^text\/html/);
    assert.match(dl.body, /issued and signed by the center/);
    const missing = await app.inject({ method: 'POST', url: `/t/${id}/checklist`, headers: FORM, payload: form({ q1: 'yes', q2: 'yes' }) });
    assert.equal(missing.statusCode, 400);
    const done = await app.inject({ method: 'POST', url: `/t/${id}/checklist`, headers: FORM, payload: form({ q1: 'yes', q2: 'yes', q3: 'no', q4: 'yes', q5: 'no' }) });
    assert.equal(done.statusCode, 200);
    assert.deepEqual(w.events.map((e) => e.event), ['downloaded', 'completed']);
  });

  test('hostile bot names are escaped', async () => {
    const { app } = await twoIspApp();
    const res = await app.inject({ url: `/t/${tid(1, 'isp-b')}` });
    assert.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(res.body, /<img/);
  });

  test('guessed tracking IDs: one identical 404 page whatever the guess, and no event recorded', async () => {
    const { app, w } = await twoIspApp();
    const real = tid(1, 'isp-a');
    const guesses = [
      real.slice(0, -1) + 'y',
      real.toLowerCase(),
      `${real}x`,
      'AAAAAAAAAAAAAAAAAAAAAA',
      '1',
      '../../etc/passwd',
      '%3Cscript%3E',
      encodeURIComponent(`${real} `),
    ];
    const bodies = new Set<string>();
    for (const g of guesses) {
      for (const suffix of ['', '/download']) {
        const res = await app.inject({ url: `/t/${g}${suffix}` });
        assert.equal(res.statusCode, 404, g);
        bodies.add(res.body);
      }
      const post = await app.inject({ method: 'POST', url: `/t/${g}/checklist`, headers: FORM, payload: form({ q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes' }) });
      assert.equal(post.statusCode, 404);
      bodies.add(post.body);
    }
    const unrouted = await app.inject({ url: '/no/such/page' });
    bodies.add(unrouted.body);
    assert.equal(bodies.size, 1, 'the 404 page does not depend on the guess');
    assert.equal(w.events.length, 0);
  });

  test('pages carry the security headers and no script', async () => {
    const { app } = await twoIspApp();
    const res = await app.inject({ url: `/t/${tid(1, 'isp-a')}` });
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.doesNotMatch(res.body, /<script/i);
    assert.match(res.body, /<meta name="viewport"/);
  });
});
