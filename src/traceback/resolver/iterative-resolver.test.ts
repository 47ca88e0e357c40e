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

  test('uses the delegation cache for the next name in the zone and still reports the full path', async () => {
    await withHierarchy([], async (h, r) => {
      await r.resolve('www.c2.test');
      const before = h.log.length;
      const res = await r.resolve('irc.c2.test');
      assert.equal(res.status, 'ok');
      assert.equal(res.firstAddress, '192.0.2.12');
      assert.deepEqual(h.log.slice(before).map((e) => e.ip), ['127.0.0.20']);
      assert.equal(res.queries, 1);
      assert.deepEqual(res.delegationPath.map((s) => s.zone), ['.', 'test', 'c2.test']);
      assert.equal(res.hops, 3);
    });
  });

  test('follows a CNAME into another TLD and reports the server that holds the final A record', async () => {
    await withHierarchy([], async (_h, r) => {
      const res = await r.resolve('alias.c2.test');
      assert.equal(res.status, 'ok');
      assert.deepEqual(res.cnameChain, ['www.other.example']);
      assert.deepEqual(res.authServer, { name: 'ns1.other.example', ip: '127.0.0.21' });
      assert.equal(res.firstAddress, '198.51.100.7');
      assert.deepEqual(res.delegationPath.map((s) => s.zone), ['.', 'example', 'other.example']);
    });
  });

  test('stops on NXDOMAIN and reports NODATA for a name without A records', async () => {
    await withHierarchy([], async (h, r) => {
      const nx = await r.resolve('missing.c2.test');
      assert.equal(nx.status, 'nxdomain');
      assert.deepEqual(nx.authServer, { name: 'ns1.c2.test', ip: '127.0.0.20' });
      assert.equal(nx.queries, 3);
      assert.equal(h.log.length, 3, 'no query after the NXDOMAIN');
      assert.match(nx.error ?? '', /NXDOMAIN/);
      const tldNx = await r.resolve('nothing.invalid-tld');
      assert.equal(tldNx.status, 'nxdomain');
      assert.deepEqual(tldNx.authServer, { name: 'a.root-servers.test', ip: '127.0.0.2' });
      const nodata = await r.resolve('txt-only.c2.test');
      assert.equal(nodata.status, 'nodata');
      assert.equal(nodata.firstAddress, null);
    });
  });

  test('a CNAME loop inside one zone ends with status loop', async () => {
    const zone: FakeZoneSpec = {
      zone: 'loopy.test',
      servers: [{ name: 'ns.loopy.test', ip: '127.0.0.30' }],
      records: [
        { name: 'a.loopy.test', type: 'CNAME', value: 'b.loopy.test' },
        { name: 'b.loopy.test', type: 'CNAME', value: 'a.loopy.test' },
        { name: 'x.loopy.test', type: 'CNAME', value: 'y.other.example' },
      ],
    };
    const other: FakeZoneSpec = {
      zone: 'other.example',
      servers: [{ name: 'ns1.other.example', ip: '127.0.0.21' }],
      records: [{ name: 'y.other.example', type: 'CNAME', value: 'x.loopy.test' }],
    };
    await withHierarchy([zone, other], async (_h, r) => {
      const res = await r.resolve('a.loopy.test');
      assert.equal(res.status, 'loop');
      const across = await r.resolve('x.loopy.test');
      assert.equal(across.status, 'loop', 'a CNAME loop across zones ends too');
      assert.ok(across.queries < 20);
    });
  });

  test('resolves glueless name servers itself', async () => {
    const zones: FakeZoneSpec[] = [
      // Out of bailiwick: the name server lives under another TLD.
      { zone: 'outside.test', servers: [{ name: 'ns1.other.example', ip: '127.0.0.21' }], records: [{ name: 'www.outside.test', type: 'A', value: '203.0.113.5' }] },
      // In bailiwick but delegated without glue.
      { zone: 'noglue.test', glue: false, servers: [{ name: 'ns.noglue.test', ip: '127.0.0.31' }], records: [{ name: 'www.noglue.test', type: 'A', value: '203.0.113.6' }] },
    ];
    await withHierarchy(zones, async (_h, r) => {
      const res = await r.resolve('www.outside.test');
      assert.equal(res.status, 'ok');
      assert.deepEqual(res.authServer, { name: 'ns1.other.example', ip: '127.0.0.21' });
      assert.equal(res.firstAddress, '203.0.113.5');
      assert.ok(res.queries >= 5, 'the NS address look-up is counted');
      const second = await r.resolve('www.noglue.test');
      // Without glue the name server's own name sits inside the zone it serves: unresolvable.
      assert.notEqual(second.status, 'ok');
      assert.ok(second.queries < 30);
    });
  });

  test('glueless name servers that depend on each other end with status loop', async () => {
    const zones: FakeZoneSpec[] = [
      { zone: 'x.test', glue: false, servers: [{ name: 'ns.y.test', ip: '127.0.0.32' }], records: [{ name: 'www.x.test', type: 'A', value: '203.0.113.7' }] },
      { zone: 'y.test', glue: false, servers: [{ name: 'ns.x.test', ip: '127.0.0.33' }] },
    ];
    await withHierarchy(zones, async (_h, r) => {
      const res = await r.resolve('www.x.test');
      assert.equal(res.status, 'loop');
      assert.match(res.error ?? '', /loop|depth/);
      assert.ok(res.queries < 30, `spent ${res.queries} queries`);
    });
  });

  test('a glueless chain deeper than the cap is cut off', async () => {
    // d0 needs ns.d1.example, d1 needs ns.d2.example, ... each one more level of look-up.
    const zones: FakeZoneSpec[] = [];
    for (let i = 0; i < 6; i++) {
      zones.push({ zone: `d${i}.example`, glue: false, servers: [{ name: `ns.d${i + 1}.example`, ip: `127.0.0.${40 + i}` }], records: [{ name: `www.d${i}.example`, type: 'A', value: '203.0.113.8' }] });
    }
    zones.push({ zone: 'd6.example', servers: [{ name: 'ns.d6.example', ip: '127.0.0.46' }] });
    await withHierarchy(zones, async (_h, r) => {
      const shallow = await r.resolve('www.d5.example');
      assert.equal(shallow.status, 'ok');
      const deep = await r.resolve('www.d0.example');
      assert.equal(deep.status, 'loop');
      assert.match(deep.error ?? '', /depth 2/);
    }, { maxGluelessDepth: 2 });
  });

  test('skips lame, refusing and failing servers and uses the next one', async () => {
    const zone: FakeZoneSpec = {
      zone: 'mixed.test',
      servers: [
        { name: 'lame.mixed.test', ip: '127.0.0.50', behaviour: { lame: true } },
        { name: 'refuse.mixed.test', ip: '127.0.0.51', behaviour: { refused: true } },
        { name: 'fail.mixed.test', ip: '127.0.0.52', behaviour: { servfail: true } },
        { name: 'good.mixed.test', ip: '127.0.0.53' },
      ],
      records: [{ name: 'www.mixed.test', type: 'A', value: '203.0.113.9' }],
    };
    await withHierarchy([zone], async (_h, r) => {
      const res = await r.resolve('www.mixed.test');
      assert.equal(res.status, 'ok');
      assert.deepEqual(res.authServer, { name: 'good.mixed.test', ip: '127.0.0.53' });
      assert.deepEqual(res.problems.map((p) => [p.server.ip, p.kind]), [
        ['127.0.0.50', 'lame'],
        ['127.0.0.51', 'refused'],
        ['127.0.0.52', 'servfail'],
      ]);
    });
  });

  test('all servers refusing gives servfail; all silent gives timeout after the retries', async () => {
    const zones: FakeZoneSpec[] = [
      { zone: 'refusing.test', servers: [{ name: 'ns.refusing.test', ip: '127.0.0.54', behaviour: { refused: true } }] },
      { zone: 'silent.test', servers: [{ name: 'ns.silent.test', ip: '127.0.0.55', behaviour: { silent: true } }] },
    ];
    await withHierarchy(zones, async (h, r) => {
      const refused = await r.resolve('www.refusing.test');
      assert.equal(refused.status, 'servfail');
      assert.match(refused.error ?? '', /REFUSED/);
      const silent = await r.resolve('www.silent.test');
      assert.equal(silent.status, 'timeout');
      assert.equal(h.log.filter((e) => e.ip === '127.0.0.55').length, 2, 'one try and one retry');
      assert.ok(r.stats().timeouts >= 2);
    }, { retries: 1, timeoutMs: 150 });
  });

  test('a silent server is skipped for the next one', async () => {
    const zone: FakeZoneSpec = {
      zone: 'half.test',
      servers: [
        { name: 'ns1.half.test', ip: '127.0.0.56', behaviour: { silent: true } },
        { name: 'ns2.half.test', ip: '127.0.0.57' },
      ],
      records: [{ name: 'www.half.test', type: 'A', value: '203.0.113.10' }],
    };
    await withHierarchy([zone], async (h, r) => {
      const res = await r.resolve('www.half.test');
      assert.equal(res.status, 'ok');
      assert.equal(res.authServer?.ip, '127.0.0.57');
      assert.equal(res.problems[0]?.kind, 'timeout');
      // The silent server is now suspect: the next name goes to the working one first.
      const before = h.log.length;
      await r.resolve('www.half.test');
      assert.deepEqual(h.log.slice(before).map((e) => e.ip), ['127.0.0.57']);
    }, { timeoutMs: 150 });
  });

  test('retries over TCP when the UDP reply is truncated', async () => {
    const zone: FakeZoneSpec = {
      zone: 'big.test',
      servers: [{ name: 'ns.big.test', ip: '127.0.0.58', behaviour: { truncateAlways: true } }],
      records: [{ name: 'www.big.test', type: 'A', value: '203.0.113.11' }],
    };
    await withHierarchy([zone], async (h, r) => {
      const res = await r.resolve('www.big.test');
      assert.equal(res.status, 'ok');
      assert.equal(res.firstAddress, '203.0.113.11');
      assert.deepEqual(h.log.filter((e) => e.ip === '127.0.0.58').map((e) => e.transport), ['udp', 'tcp']);
      assert.equal(r.stats().tcpQueries, 1);
    });
  });

  test('an answer too big for 512 bytes of UDP arrives complete over TCP', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ name: 'many.c2.test', type: 'A' as const, value: `198.51.100.${i + 1}` }));
    const zone: FakeZoneSpec = { zone: 'c2.test', servers: [{ name: 'ns1.c2.test', ip: '127.0.0.20' }], records };
    await withHierarchy([zone], async (_h, r) => {
      const res = await r.resolve('many.c2.test');
      assert.equal(res.status, 'ok');
      assert.equal(res.addresses.length, 40);
      assert.equal(res.firstAddress, '198.51.100.1');
    });
  });

  test('referral loops (to the same zone or upwards) end with status loop', async () => {
    const zones: FakeZoneSpec[] = [
      { zone: 'self.test', servers: [{ name: 'ns.self.test', ip: '127.0.0.60', behaviour: { referralLoop: 'self' } }] },
      { zone: 'up.test', servers: [{ name: 'ns.up.test', ip: '127.0.0.61', behaviour: { referralLoop: 'up' } }] },
    ];
    await withHierarchy(zones, async (_h, r) => {
      for (const name of ['www.self.test', 'www.up.test']) {
        const res = await r.resolve(name);
        assert.equal(res.status, 'loop', name);
        assert.match(res.error ?? '', /not a step down/);
        assert.ok(res.queries <= 4, `${name}: ${res.queries} queries`);
      }
    });
  });

  test('rejects invalid names without sending a query', async () => {
    await withHierarchy([], async (h, r) => {
      for (const bad of ['', '.', 'a..b', 'x'.repeat(64) + '.test', 'spa ce.test', 'ünï.test', `${'a.'.repeat(130)}test`]) {
        const res = await r.resolve(bad);
        assert.equal(res.status, 'error', JSON.stringify(bad));
        assert.match(res.error ?? '', /invalid name/);
      }
      assert.equal(h.log.length, 0);
    });
  });
});
