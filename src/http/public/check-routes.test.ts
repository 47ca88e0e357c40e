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
});
