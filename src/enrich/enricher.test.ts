import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEnricher } from './enricher.js';
import type { AsnLookup, GeoLookup, IspLookup, PtrResolver } from './types.js';

function counting() {
  const calls: string[] = [];
  const geo: GeoLookup = { country: (ip) => (calls.push(`geo:${ip}`), ip.startsWith('192.0.2.') ? 'JP' : null) };
  const asn: AsnLookup = { asn: (ip) => (calls.push(`asn:${ip}`), ip.startsWith('192.0.2.') ? { asn: 64500, org: 'Example Net' } : null) };
  const isp: IspLookup = { isp: (ip) => (calls.push(`isp:${ip}`), ip === '192.0.2.1' ? 'Alpha Telecom' : null) };
  return { calls, geo, asn, isp };
}

test('composes the configured lookups and canonicalises the address first', () => {
  const { geo, asn, isp, calls } = counting();
  const e = createEnricher({ geo, asn, isp });
  assert.deepEqual(e.enrich('::ffff:192.0.2.1'), { country: 'JP', asn: 64500, asOrg: 'Example Net', isp: 'Alpha Telecom', ptr: null });
  assert.deepEqual(calls, ['asn:192.0.2.1', 'geo:192.0.2.1', 'isp:192.0.2.1']);
  assert.deepEqual(e.enrich('198.51.100.1'), { country: null, asn: null, asOrg: null, isp: null, ptr: null });
  assert.equal(e.enrichPtr, undefined, 'no resolver, no enrichPtr');
});

test('missing parts leave their fields null; bad addresses get all nulls', () => {
  const { geo } = counting();
  const e = createEnricher({ geo });
  assert.deepEqual(e.enrich('192.0.2.5'), { country: 'JP', asn: null, asOrg: null, isp: null, ptr: null });
  assert.deepEqual(e.enrich('not an ip'), { country: null, asn: null, asOrg: null, isp: null, ptr: null });
  assert.deepEqual(e.enrich(''), { country: null, asn: null, asOrg: null, isp: null, ptr: null });
});

test('repeated addresses come from the cache; old ones are recomputed', () => {
  const { geo, asn, isp, calls } = counting();
  const e = createEnricher({ geo, asn, isp, cacheSize: 2 });
  const first = e.enrich('192.0.2.1');
  assert.equal(e.enrich('192.0.2.1'), first);
  assert.equal(calls.length, 3);
  e.enrich('192.0.2.2');
  e.enrich('192.0.2.3'); // young {.1,.2} becomes old
  e.enrich('192.0.2.1'); // promoted from old without recomputing
  assert.equal(calls.length, 9);
  e.enrich('192.0.2.4');
  e.enrich('192.0.2.5');
  e.enrich('192.0.2.6');
  e.enrich('192.0.2.2'); // two generations later: recomputed
  assert.equal(calls.length, 21);
  assert.ok(Object.isFrozen(first));
});

test('enrichPtr canonicalises and delegates', async () => {
  const asked: string[] = [];
  const ptr: PtrResolver = { ptr: async (ip) => (asked.push(ip), 'host.example') };
  const e = createEnricher({ ptr });
  assert.equal(await e.enrichPtr?.('::FFFF:192.0.2.9'), 'host.example');
  assert.equal(await e.enrichPtr?.('bogus'), null);
  assert.deepEqual(asked, ['192.0.2.9']);
});

test('the integer path for IPv4 gives what the text path gives', () => {
  const text = counting();
  const v4 = counting();
  const geo: GeoLookup = { ...v4.geo, countryV4: (n) => (n >>> 8 === 0xc00002 ? 'JP' : null) };
  const asn: AsnLookup = { ...v4.asn, asnV4: (n) => (n >>> 8 === 0xc00002 ? { asn: 64500, org: 'Example Net' } : null) };
  const isp: IspLookup = { ...v4.isp, ispV4: (n, a) => (n === 0xc0000201 && a === 64500 ? 'Alpha Telecom' : null) };
  const slow = createEnricher({ geo: text.geo, asn: text.asn, isp: text.isp });
  const fast = createEnricher({ geo, asn, isp });
  for (const ip of ['192.0.2.1', '192.0.2.9', '198.51.100.1', '::ffff:192.0.2.1', '2001:db8::1']) assert.deepEqual(fast.enrich(ip), slow.enrich(ip), ip);
  assert.deepEqual(v4.calls, ['asn:192.0.2.1', 'geo:192.0.2.1', 'isp:192.0.2.1', 'asn:2001:db8::1', 'geo:2001:db8::1', 'isp:2001:db8::1'], 'dotted quads never took the text path');
});

test('the IPv4 integer cache answers repeats without looking up again, and collisions stay correct', () => {
  let lookups = 0;
  const geo: GeoLookup = { country: () => null, countryV4: (n) => (lookups++, n % 2 === 0 ? 'JP' : 'US') };
  const e = createEnricher({ geo, cacheSize: 1 });
  const first = e.enrich('192.0.2.2');
  assert.equal(e.enrich('192.0.2.2'), first);
  assert.equal(lookups, 1);
  assert.ok(Object.isFrozen(first));
  for (let i = 0; i < 50; i++) {
    for (const last of [1, 2, 3, 4, 5]) assert.equal(e.enrich(`198.51.100.${last}`).country, last % 2 === 0 ? 'JP' : 'US');
  }
  assert.ok(lookups > 6, 'two slots cannot hold five addresses');
});
