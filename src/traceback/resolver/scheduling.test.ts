import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createIterativeResolver, startFakeHierarchy } from './index.js';
import type { FakeZoneSpec, ResolveResult } from './index.js';
import { sampleHierarchySpec } from './sample-hierarchy.js';
import { createRateLimiter } from './rate-limiter.js';

/** A zone with `n` hosts h0..h(n-1) on one server that can be slowed down. */
function bulkZone(n: number, delayMs?: number): FakeZoneSpec {
  return {
    zone: 'bulk.test',
    servers: [{ name: 'ns.bulk.test', ip: '127.0.0.80', ...(delayMs !== undefined ? { behaviour: { delayMs } } : {}) }],
    records: Array.from({ length: n }, (_, i) => ({ name: `h${i}.bulk.test`, type: 'A' as const, value: `203.0.113.${(i % 250) + 1}` })),
  };
}

describe('concurrency, pacing and streaming', () => {
  test('resolveMany streams every result and reports progress', async () => {
    const h = await startFakeHierarchy(sampleHierarchySpec([bulkZone(50)]));
    const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 500 });
    try {
      const names = [...Array.from({ length: 50 }, (_, i) => `h${i}.bulk.test`), 'missing.bulk.test', 'bad name'];
      const progress: number[] = [];
      const seen: ResolveResult[] = [];
      for await (const res of r.resolveMany(names, { concurrency: 8, onProgress: (p) => progress.push(p.done) })) seen.push(res);
      assert.equal(seen.length, 52);
      assert.deepEqual(progress, Array.from({ length: 52 }, (_, i) => i + 1));
      assert.equal(seen.filter((x) => x.status === 'ok').length, 50);
      assert.equal(seen.find((x) => x.name === 'h7.bulk.test')?.firstAddress, '203.0.113.8');
      assert.equal(seen.find((x) => x.name === 'missing.bulk.test')?.status, 'nxdomain');
      assert.equal(seen.find((x) => x.name === 'bad name')?.status, 'error');
      // The delegation cache means the root and the TLD are asked only until the first referral lands.
      const rootQueries = h.log.filter((e) => e.ip === '127.0.0.2').length;
      assert.ok(rootQueries <= 8, `${rootQueries} root queries`);
    } finally {
      await r.close();
      await h.stop();
    }
  });

  test('never has more than maxInFlight queries outstanding', async () => {
    const h = await startFakeHierarchy(sampleHierarchySpec([bulkZone(24, 40)]));
    const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 2000, maxInFlight: 3 });
    try {
      const names = Array.from({ length: 24 }, (_, i) => `h${i}.bulk.test`);
      for await (const res of r.resolveMany(names, { concurrency: 24 })) assert.equal(res.status, 'ok');
      const peak = Math.max(...h.log.map((e) => e.concurrent));
      assert.equal(peak, 3, 'the cap is reached and never passed');
    } finally {
      await r.close();
      await h.stop();
    }
  });

  test('paces queries to one server at perServerQps', async () => {
    const h = await startFakeHierarchy(sampleHierarchySpec([bulkZone(8)]));
    const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 2000, perServerQps: 25, perServerBurst: 1 });
    try {
      await r.resolve('h0.bulk.test'); // warms the cache
      const start = h.log.length;
      const names = Array.from({ length: 7 }, (_, i) => `h${i + 1}.bulk.test`);
      for await (const res of r.resolveMany(names, { concurrency: 7 })) assert.equal(res.status, 'ok');
      const times = h.log.slice(start).filter((e) => e.ip === '127.0.0.80').map((e) => e.at);
      assert.equal(times.length, 7);
      // Individual gaps jitter with delivery; the k-th query can never arrive before k intervals have passed.
      const first = times[0] as number;
      for (let k = 1; k < times.length; k++) {
        const since = (times[k] as number) - first;
        assert.ok(since >= k * 40 - 10, `query ${k} arrived ${since.toFixed(1)} ms after the first, expected >= ${k * 40 - 10}`);
      }
    } finally {
      await r.close();
      await h.stop();
    }
  });

  test('the rate limiter allows a burst, then spaces by 1/qps (fake clock)', async () => {
    let now = 1000;
    const limiter = createRateLimiter(10, 3, () => now);
    const t0 = performance.now();
    await Promise.all([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]);
    assert.ok(performance.now() - t0 < 50, 'the burst of three and another key go at once');
    // The fourth query to "a" must wait 100 ms of real time while the fake clock stands still.
    const waited = performance.now();
    await limiter.take('a');
    assert.ok(performance.now() - waited >= 95);
    now += 10_000; // after a long idle period the full burst is available again
    const t1 = performance.now();
    await Promise.all([limiter.take('a'), limiter.take('a'), limiter.take('a')]);
    assert.ok(performance.now() - t1 < 50);
  });

  test('collectRounds flags names whose addresses change between rounds (fast flux)', async () => {
    const flux: FakeZoneSpec = {
      zone: 'flux.test',
      servers: [{ name: 'ns.flux.test', ip: '127.0.0.81', behaviour: { rotateA: 2 } }],
      records: [
        { name: 'bot.flux.test', type: 'A', value: '203.0.113.31' },
        { name: 'bot.flux.test', type: 'A', value: '203.0.113.32' },
        { name: 'bot.flux.test', type: 'A', value: '203.0.113.33' },
        { name: 'bot.flux.test', type: 'A', value: '203.0.113.34' },
        { name: 'steady.flux.test', type: 'A', value: '203.0.113.40' },
      ],
    };
    const h = await startFakeHierarchy(sampleHierarchySpec([flux]));
    const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 500 });
    try {
      const rounds: number[] = [];
      const out = await r.collectRounds(['bot.flux.test', 'steady.flux.test', 'missing.flux.test'], { rounds: 3, intervalMs: 20, onRound: (n) => rounds.push(n) });
      assert.deepEqual(rounds, [1, 2, 3]);
      const bot = out.find((e) => e.name === 'bot.flux.test');
      assert.ok(bot);
      assert.deepEqual(bot.rounds.map((x) => x.addresses), [
        ['203.0.113.31', '203.0.113.32'],
        ['203.0.113.32', '203.0.113.33'],
        ['203.0.113.33', '203.0.113.34'],
      ]);
      assert.deepEqual(bot.rounds.map((x) => x.firstAddress), ['203.0.113.31', '203.0.113.32', '203.0.113.33']);
      assert.equal(bot.fastFlux, true);
      assert.deepEqual(bot.changedRounds, [2, 3]);
      assert.deepEqual(bot.distinctAddresses, ['203.0.113.31', '203.0.113.32', '203.0.113.33', '203.0.113.34']);
      const steady = out.find((e) => e.name === 'steady.flux.test');
      assert.equal(steady?.fastFlux, false);
      assert.deepEqual(steady?.changedRounds, []);
      const missing = out.find((e) => e.name === 'missing.flux.test');
      assert.equal(missing?.fastFlux, false);
      assert.deepEqual(missing?.rounds.map((x) => x.status), ['nxdomain', 'nxdomain', 'nxdomain']);
    } finally {
      await r.close();
      await h.stop();
    }
  });
});
