import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrefixTable } from './prefix-table.js';
import { ipv4ToInt } from './ip.js';

test('longest prefix wins among overlapping IPv4 prefixes', () => {
  const t = new PrefixTable<string>();
  t.add('192.0.2.0/24', 'a');
  t.add('192.0.2.128/25', 'b');
  t.add('192.0.2.192/26', 'c');
  t.add('192.0.0.0/16', 'wide');
  assert.deepEqual(t.lookup('192.0.2.1'), { prefix: '192.0.2.0/24', value: 'a' });
  assert.deepEqual(t.lookup('192.0.2.130'), { prefix: '192.0.2.128/25', value: 'b' });
  assert.deepEqual(t.lookup('192.0.2.255'), { prefix: '192.0.2.192/26', value: 'c' });
  assert.deepEqual(t.lookup('192.0.99.1'), { prefix: '192.0.0.0/16', value: 'wide' });
  assert.equal(t.lookup('198.51.100.1'), null);
  assert.equal(t.lookupV4(ipv4ToInt('192.0.2.200'))?.value, 'c');
  assert.equal(t.size, 4);
});

test('host routes, the default route and mapped addresses', () => {
  const t = new PrefixTable<number>();
  t.add('0.0.0.0/0', 0);
  t.add('203.0.113.7', 32);
  assert.equal(t.lookup('203.0.113.7')?.value, 32);
  assert.equal(t.lookup('203.0.113.8')?.value, 0);
  assert.equal(t.lookup('::ffff:203.0.113.7')?.value, 32);
  assert.equal(t.lookup('2001:db8::1'), null, 'an IPv4 default route does not cover IPv6');
  assert.equal(t.lookup('not an ip'), null);
});

test('longest prefix wins among overlapping IPv6 prefixes', () => {
  const t = new PrefixTable<string>();
  t.add('2001:db8::/32', 'doc');
  t.add('2001:db8:8000::/33', 'upper');
  t.add('2001:db8:8000::/48', 'site');
  t.add('2001:db8:8000::1/128', 'host');
  t.add('2001:db8:8000:0:ffff::/80', 'deep');
  assert.equal(t.lookup('2001:db8::1')?.value, 'doc');
  assert.equal(t.lookup('2001:db8:9000::1')?.value, 'upper');
  assert.equal(t.lookup('2001:db8:8000::2')?.value, 'site');
  assert.equal(t.lookup('2001:db8:8000::1')?.value, 'host');
  assert.deepEqual(t.lookup('2001:db8:8000:0:ffff:1::'), { prefix: '2001:db8:8000:0:ffff::/80', value: 'deep' });
  assert.equal(t.lookup('2001:db9::1'), null);
  t.add('::/0', 'all');
  assert.equal(t.lookup('2001:db9::1')?.value, 'all');
});

test('re-adding a prefix replaces its value and returns the old one', () => {
  const t = new PrefixTable<string>();
  assert.equal(t.add('198.51.100.0/24', 'x'), undefined);
  assert.equal(t.add('198.51.100.0/24', 'y'), 'x');
  assert.equal(t.size, 1);
  assert.equal(t.lookup('198.51.100.5')?.value, 'y');
  assert.deepEqual([...t.entries()].map((e) => e.prefix), ['198.51.100.0/24']);
});

test('a bad prefix throws with the reason', () => {
  const t = new PrefixTable<string>();
  assert.throws(() => t.add('192.0.2.1/24', 'x'), /host bits/);
  assert.throws(() => t.add('nope', 'x'), /invalid address/);
});
