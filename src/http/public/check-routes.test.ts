import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { twoIspApp } from '../app-fake.test-support.js';

describe('notice check on fake services', () => {
  test('a known ticket shows that a notice exists, its ISP and dates; an unknown one has the same page shape', async () => {
    const { app } = await twoIspApp();
    const known = await app.inject({ url: '/check?ticket=cc-aaaa-11&lang=en' });
    assert.equal(known.statusCode, 200);
    assert.match(known.body, /A notice with this ticket number exists/);
    assert.match(known.body, /Example Net A/);
    assert.match(known.body, /2024-05-01 – 2024-05-03/);
    assert.doesNotMatch(known.body, /\/t\/|trk|192\.0\.2/, 'no tracking link, no address');
    const unknown = await app.inject({ url: '/check?ticket=CC-ZZZZ-99&lang=en' });
    assert.equal(unknown.statusCode, 200);
    assert.match(unknown.body, /No notice with this ticket number is known/);
    const shape = (b: string): string => b.replace(/<section>.*<\/section>/s, '').replace(/value="[^"]*"/, '');
    assert.equal(shape(known.body), shape(unknown.body));
  });

  test('the hostile ISP name is escaped and the ticket is echoed safely', async () => {
    const { app } = await twoIspApp();
    const res = await app.inject({ url: '/check?ticket=CC-BBBB-11' });
    assert.match(res.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const echo = await app.inject({ url: `/check?ticket=${encodeURIComponent('"><script>alert(1)</script>')}` });
    assert.doesNotMatch(echo.body, /<script>/);
  });

  test('checks are rate-limited per address', async () => {
    const { app } = await twoIspApp({ checksPerWindow: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: `/check?ticket=CC-ZZZZ-0${i}` })).statusCode, 200);
    const blocked = await app.inject({ url: '/check?ticket=CC-AAAA-11' });
    assert.equal(blocked.statusCode, 429);
    assert.doesNotMatch(blocked.body, /Example Net A/);
    assert.equal((await app.inject({ url: '/check' })).statusCode, 200, 'the empty form is not counted');
  });

  test('X-Forwarded-For names the client only when it comes from a configured proxy', async () => {
    const xff = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
    // No proxy configured: the header is ignored, every caller on this socket address shares one budget.
    const plain = (await twoIspApp({ checksPerWindow: 2 })).app;
    for (const ip of ['203.0.113.1', '203.0.113.2']) assert.equal((await plain.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff(ip) })).statusCode, 200);
    assert.equal((await plain.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.3') })).statusCode, 429);
    // Behind a trusted proxy (inject connects from 127.0.0.1): each forwarded client has its own budget.
    const proxied = (await twoIspApp({ checksPerWindow: 2 }, 'https://center.example', ['127.0.0.0/8'])).app;
    for (let i = 0; i < 2; i++) assert.equal((await proxied.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.1') })).statusCode, 200);
    assert.equal((await proxied.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.1') })).statusCode, 429);
    assert.equal((await proxied.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.2') })).statusCode, 200);
    // A proxy that is not trusted cannot do the same.
    const other = (await twoIspApp({ checksPerWindow: 1 }, 'https://center.example', ['192.0.2.10'])).app;
    assert.equal((await other.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.1') })).statusCode, 200);
    assert.equal((await other.inject({ url: '/check?ticket=CC-ZZZZ-01', headers: xff('203.0.113.2') })).statusCode, 429);
  });
});
