import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../domain/errors.js';
import { startFakeIrcServer } from './fake-irc-server.js';
import type { FakeIrcServer } from './fake-irc-server.js';
import { isLoopback, probeMany } from './probe-many.js';

const servers: FakeIrcServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('isLoopback', () => {
  test('127.0.0.0/8 and ::1, in any text form', () => {
    for (const h of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.equal(isLoopback(h), true, h);
  });
  test('everything else, host names included', () => {
    for (const h of ['192.0.2.1', '2001:db8::1', '128.0.0.1', 'localhost', 'irc.example', '', '127.0.0.1.example']) {
      assert.equal(isLoopback(h), false, h);
    }
  });
});

describe('probeMany', () => {
  test('refuses third-party hosts without active, before connecting anywhere', async () => {
    for (const targets of [['192.0.2.1'], [{ host: '127.0.0.1', port: 1 }, { host: 'irc.example' }], ['2001:db8::6667']]) {
      await assert.rejects(
        probeMany(targets, { active: false, timeoutMs: 100 }),
        (e: unknown) => isUserError(e) && e.code === 'USAGE' && /--active/.test(e.message),
      );
    }
  });

  test('the refusal names the hosts, a few at a time', async () => {
    const many = Array.from({ length: 8 }, (_, i) => `198.51.100.${i + 1}`);
    await assert.rejects(probeMany(many, { active: false }), /198\.51\.100\.1, .*and 3 more/);
  });

  test('bad concurrency throws', async () => {
    await assert.rejects(probeMany(['127.0.0.1'], { active: false, concurrency: 0 }), RangeError);
    await assert.rejects(probeMany(['127.0.0.1'], { active: false, concurrency: 1.5 }), RangeError);
  });

  test('loopback runs without active, within the concurrency limit, results in input order', async () => {
    let open = 0;
    let peak = 0;
    const s = await startFakeIrcServer((c) => {
      open++;
      peak = Math.max(peak, open);
      // Answer slowly so that probes overlap if the limit allowed it.
      setTimeout(() => {
        open--;
        c.send(':irc.example 001 x :Welcome\r\n');
      }, 60);
    });
    servers.push(s);
    const closed = await startFakeIrcServer((c) => {
      c.send('ERROR :Access denied: Bad password?\r\n');
      c.close();
    });
    servers.push(closed);
    const targets = [
      { host: '127.0.0.1', port: s.port },
      { host: '127.0.0.1', port: closed.port },
      { host: '127.0.0.1', port: s.port }, // a repeat is probed once
    ];
    const seen: string[] = [];
    const results = await probeMany(targets, { active: false, concurrency: 1, timeoutMs: 3000, onResult: (r) => seen.push(r.verdict) });
    assert.deepEqual(results.map((r) => r.verdict), ['open', 'password-required', 'open']);
    assert.equal(results[0], results[2]);
    assert.equal(s.connections.length, 1);
    assert.equal(seen.length, 2);
    assert.equal(peak, 1);
  });

  test('concurrency above 1 overlaps probes but never exceeds the limit', async () => {
    let open = 0;
    let peak = 0;
    const servers3 = await Promise.all(
      Array.from({ length: 5 }, () =>
        startFakeIrcServer((c) => {
          open++;
          peak = Math.max(peak, open);
          setTimeout(() => {
            open--;
            c.send(':irc.example 001 x :Welcome\r\n');
          }, 80);
        }),
      ),
    );
    servers.push(...servers3);
    const results = await probeMany(servers3.map((x) => ({ host: x.host, port: x.port })), {
      active: false,
      concurrency: 2,
      timeoutMs: 3000,
    });
    assert.deepEqual(results.map((r) => r.verdict), ['open', 'open', 'open', 'open', 'open']);
    assert.equal(peak, 2);
  });

  test('the default port applies to bare host strings', async () => {
    const s = await startFakeIrcServer((c) => c.send(':irc.example 001 x :Welcome\r\n'));
    servers.push(s);
    const [r] = await probeMany(['127.0.0.1'], { active: false, port: s.port, timeoutMs: 3000 });
    assert.equal(r?.port, s.port);
    assert.equal(r?.verdict, 'open');
  });
});
