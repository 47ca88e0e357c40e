import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createIterativeResolver, startFakeHierarchy } from './index.js';
import type { FakeHierarchy, FakeZoneSpec, IterativeResolver, ResolverOptions } from './index.js';
import { sampleHierarchySpec } from './sample-hierarchy.js';

/** Starts the sample hierarchy (plus extra zones) and a resolver pointed at it; both are torn down after `body`. */
async function withHierarchy(
  extra: readonly FakeZoneSpec[],
  body: (h: FakeHierarchy, r: IterativeResolver) => Promise<void>,
  opts: Partial<ResolverOptions> = {},
): Promise<void> {
  const h = await startFakeHierarchy(sampleHierarchySpec(extra));
  const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 250, retries: 0, ...opts });
  try {
    await body(h, r);
  } finally {
    await r.close();
    await h.stop();
  }
}

describe('iterative resolution over the fake hierarchy', () => {
  test('follows referrals with glue from the root and records server, addresses and path', async () => {
    await withHierarchy([], async (h, r) => {
      const res = await r.resolve('WWW.C2.Test.');
      assert.equal(res.name, 'www.c2.test');
      assert.equal(res.status, 'ok');
      assert.deepEqual(res.authServer, { name: 'ns1.c2.test', ip: '127.0.0.20' });
      assert.equal(res.firstAddress, '192.0.2.10');
      assert.deepEqual(res.addresses, ['192.0.2.10', '192.0.2.11']);
      assert.deepEqual(
        res.delegationPath.map((s) => [s.zone, s.server.name, s.server.ip]),
        [
          ['.', 'a.root-servers.test', '127.0.0.2'],
          ['test', 'ns1.nic.test', '127.0.0.10'],
          ['c2.test', 'ns1.c2.test', '127.0.0.20'],
        ],
      );
      assert.equal(res.hops, 3);
      assert.equal(res.error, null);
      assert.equal(res.queries, 3);
      assert.deepEqual(h.log.map((e) => e.ip), ['127.0.0.2', '127.0.0.10', '127.0.0.20']);
      assert.ok(h.log.every((e) => !e.rd && e.transport === 'udp' && e.qtype === 'A'), 'queries go over UDP with recursion off');
    });
  });
});
