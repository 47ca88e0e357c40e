import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { createPtrResolver, type ReverseResolver } from './ptr-resolver.js';
import { reverseName } from './reverse-name.js';
import { parseIp } from '../../domain/ip.js';

/** A fake DNS server on loopback that answers PTR questions for 192.0.2.0/24 and 2001:db8::/32. */
let server: Socket;
let address = '';
const queries = new Map<string, number>();

before(async () => {
  server = createSocket('udp4');
  server.on('message', (msg, peer) => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (question === undefined) return;
    const name = question.name.toLowerCase();
    queries.set(name, (queries.get(name) ?? 0) + 1);
    if (name === '99.2.0.192.in-addr.arpa') return; // never answers: the timeout path
    // dns-packet ignores `rcode` when encoding; the rcode lives in the low four bits of flags.
    const rcode = name === '44.2.0.192.in-addr.arpa' ? 3 /* NXDOMAIN */ : name === '55.2.0.192.in-addr.arpa' ? 2 /* SERVFAIL */ : 0;
    const octet = name.split('.')[0];
    const answers: dnsPacket.Answer[] =
      rcode !== 0
        ? []
        : name.endsWith('.ip6.arpa')
          ? [{ type: 'PTR', name: question.name, ttl: 60, data: 'Six.Example' }]
          : [
              { type: 'PTR', name: question.name, ttl: 60, data: `Host-${octet}.Example` },
              { type: 'PTR', name: question.name, ttl: 60, data: `alias-${octet}.example` },
            ];
    const reply = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: q.questions,
      answers,
    });
    server.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const make = (extra: Parameters<typeof createPtrResolver>[0] = {}) =>
  createPtrResolver({ servers: [address], timeoutMs: 250, tries: 1, cacheSize: 100, negativeTtlMs: 60_000, ...extra });

test('answers the first PTR name, lower case, and caches it', async () => {
  const r = make();
  assert.equal(await r.ptr('192.0.2.7'), 'host-7.example');
  assert.equal(await r.ptr('192.0.2.7'), 'host-7.example');
  assert.equal(queries.get('7.2.0.192.in-addr.arpa'), 1);
  assert.deepEqual(r.stats(), { lookups: 2, cacheHits: 1, shared: 0, queries: 1, found: 1, notFound: 0, timeouts: 0, errors: 0, invalid: 0 });
});

test('concurrent lookups of one address share one query', async () => {
  const r = make();
  const names = await Promise.all([1, 2, 3, 4, 5].map(() => r.ptr('192.0.2.8')));
  assert.deepEqual(names, Array(5).fill('host-8.example'));
  assert.equal(queries.get('8.2.0.192.in-addr.arpa'), 1);
  assert.equal(r.stats().shared, 4);
});

test('IPv6 and IPv4-mapped addresses', async () => {
  const r = make();
  assert.equal(await r.ptr('2001:db8::1'), 'six.example');
  assert.equal(await r.ptr('::ffff:192.0.2.9'), 'host-9.example');
});

test('NXDOMAIN is a remembered null until the negative TTL passes', async () => {
  let clock = 1_000_000;
  const r = make({ now: () => clock });
  assert.equal(await r.ptr('192.0.2.44'), null);
  assert.equal(await r.ptr('192.0.2.44'), null);
  assert.equal(queries.get('44.2.0.192.in-addr.arpa'), 1);
  clock += 60_001;
  assert.equal(await r.ptr('192.0.2.44'), null);
  assert.equal(queries.get('44.2.0.192.in-addr.arpa'), 2);
  const s = r.stats();
  assert.equal(s.notFound, 2);
  assert.equal(s.errors, 0);
});

test('SERVFAIL is an error, a silent server a timeout; both resolve to null', async () => {
  const r = make();
  assert.equal(await r.ptr('192.0.2.55'), null);
  const started = Date.now();
  assert.equal(await r.ptr('192.0.2.99'), null);
  assert.ok(Date.now() - started < 5000);
  const s = r.stats();
  assert.equal(s.errors, 1);
  assert.equal(s.timeouts, 1);
  assert.ok((queries.get('99.2.0.192.in-addr.arpa') ?? 0) >= 1);
});

test('the cache forgets the least recently used address', async () => {
  const r = make({ cacheSize: 2 });
  await r.ptr('192.0.2.20');
  await r.ptr('192.0.2.21');
  await r.ptr('192.0.2.20'); // now .21 is the oldest
  await r.ptr('192.0.2.22');
  await r.ptr('192.0.2.20');
  await r.ptr('192.0.2.21');
  assert.equal(queries.get('20.2.0.192.in-addr.arpa'), 1);
  assert.equal(queries.get('21.2.0.192.in-addr.arpa'), 2);
});

test('invalid input sends no query', async () => {
  const r = make();
  assert.equal(await r.ptr('not an ip'), null);
  assert.equal(await r.ptr(''), null);
  assert.equal(r.stats().invalid, 2);
  assert.equal(r.stats().queries, 0);
});

test('an injected resolver: odd answers, thrown errors and one that never settles', async () => {
  const fake: ReverseResolver = {
    resolvePtr(name) {
      const ip = name.split('.').slice(0, 4).reverse().join('.');
      if (ip === '198.51.100.1') return Promise.resolve(['', 'Mail.Example.']);
      if (ip === '198.51.100.2') return Promise.resolve([]);
      if (ip === '198.51.100.3') throw new Error('synchronous failure');
      if (ip === '198.51.100.4') return Promise.reject(Object.assign(new Error('x'), { code: 'ETIMEOUT' }));
      return new Promise(() => {});
    },
  };
  const r = createPtrResolver({ resolver: fake, timeoutMs: 10, tries: 1 });
  assert.equal(await r.ptr('198.51.100.1'), 'mail.example');
  assert.equal(await r.ptr('198.51.100.2'), null);
  assert.equal(await r.ptr('198.51.100.3'), null);
  assert.equal(await r.ptr('198.51.100.4'), null);
  assert.equal(await r.ptr('198.51.100.5'), null);
  assert.deepEqual(r.stats(), { lookups: 5, cacheHits: 0, shared: 0, queries: 5, found: 1, notFound: 1, timeouts: 2, errors: 1, invalid: 0 });
});

test('reverse names for IPv4 and IPv6', () => {
  assert.equal(reverseName(parseIp('192.0.2.7')!), '7.2.0.192.in-addr.arpa');
  assert.equal(reverseName(parseIp('2001:db8::567:89ab')!), 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
});
