import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createIterativeResolver, startFakeHierarchy } from './index.js';
import type { FakeBehaviour, FakeZoneSpec } from './index.js';
import { sampleHierarchySpec } from './sample-hierarchy.js';

/** A zone whose first server misbehaves as told and whose second server is sound. */
function zoneWith(behaviour: FakeBehaviour): FakeZoneSpec {
  return {
    zone: 'hostile.test',
    servers: [
      { name: 'bad.hostile.test', ip: '127.0.0.70', behaviour },
      { name: 'good.hostile.test', ip: '127.0.0.71' },
    ],
    records: [{ name: 'www.hostile.test', type: 'A', value: '203.0.113.20' }],
  };
}

const CASES: Array<[string, FakeBehaviour, ProblemExpectation]> = [
  ['a reply with the wrong ID', { wrongId: true }, { kind: 'timeout', reason: /unexpected ID/ }],
  ['a reply from an unexpected source address', { wrongSource: true }, { kind: 'timeout', reason: /unexpected source 127\.0\.0\.254/ }],
  ['a reply with a compression loop', { compressionLoop: true }, { kind: 'malformed', reason: /compression pointer.*\(loop\)/ }],
  ['a reply with an oversized record', { oversizedRecord: true }, { kind: 'malformed', reason: /oversized record|expected 4/ }],
];

interface ProblemExpectation {
  readonly kind: string;
  readonly reason: RegExp;
}

describe('hostile replies are rejected and the next server is used', () => {
  for (const [what, behaviour, expected] of CASES) {
    test(what, async () => {
      const h = await startFakeHierarchy(sampleHierarchySpec([zoneWith(behaviour)]));
      const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 200, retries: 0 });
      try {
        const res = await r.resolve('www.hostile.test');
        assert.equal(res.status, 'ok');
        assert.deepEqual(res.authServer, { name: 'good.hostile.test', ip: '127.0.0.71' });
        assert.equal(res.firstAddress, '203.0.113.20');
        const p = res.problems.find((x) => x.server.ip === '127.0.0.70');
        assert.ok(p, 'the hostile server is listed as a problem');
        assert.equal(p.kind, expected.kind);
        assert.match(p.reason, expected.reason);
        assert.ok(r.stats().rejectedReplies >= 1);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  }

  test('a zone served only by hostile servers fails cleanly, and the resolver keeps working', async () => {
    const zone: FakeZoneSpec = {
      zone: 'hostile.test',
      servers: [
        { name: 'a.hostile.test', ip: '127.0.0.72', behaviour: { compressionLoop: true } },
        { name: 'b.hostile.test', ip: '127.0.0.73', behaviour: { oversizedRecord: true } },
        { name: 'c.hostile.test', ip: '127.0.0.74', behaviour: { wrongId: true } },
      ],
    };
    const h = await startFakeHierarchy(sampleHierarchySpec([zone]));
    const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 150, retries: 0 });
    try {
      const res = await r.resolve('www.hostile.test');
      assert.equal(res.status, 'servfail');
      assert.equal(res.problems.length, 3);
      const ok = await r.resolve('www.c2.test');
      assert.equal(ok.status, 'ok');
    } finally {
      await r.close();
      await h.stop();
    }
  });
});
