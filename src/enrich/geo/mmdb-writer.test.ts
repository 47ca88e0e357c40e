import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from 'maxmind';
import { writeMmdb, type MmdbEntry } from './mmdb-writer.js';

const entries: MmdbEntry[] = [
  { prefix: '192.0.2.0/24', record: { country: { iso_code: 'JP' }, n: 7 } },
  { prefix: '192.0.2.128/25', record: { country_code: 'DE' } },
  { prefix: '198.51.100.7', record: { host: true } },
  { prefix: '203.0.113.0/24', record: { autonomous_system_number: 64500, autonomous_system_organization: 'Example Net' } },
  { prefix: '2001:db8::/32', record: { country_code: 'FR', list: ['a', 'b'], neg: -5, ratio: 0.25 } },
];

for (const recordSize of [24, 28, 32] as const) {
  test(`the maxmind reader reads back a ${recordSize}-bit IPv6 tree with IPv4 under ::/96`, () => {
    const r = new Reader<Record<string, unknown>>(writeMmdb(entries, { recordSize, databaseType: 'Test-DB' }));
    assert.equal(r.metadata.recordSize, recordSize);
    assert.equal(r.metadata.ipVersion, 6);
    assert.equal(r.metadata.databaseType, 'Test-DB');
    assert.deepEqual(r.getWithPrefixLength('192.0.2.1'), [{ country: { iso_code: 'JP' }, n: 7 }, 25]); // the /25 split the /24
    assert.deepEqual(r.getWithPrefixLength('192.0.2.200'), [{ country_code: 'DE' }, 25]);
    assert.deepEqual(r.getWithPrefixLength('198.51.100.7'), [{ host: true }, 32]);
    assert.equal(r.get('198.51.100.8'), null);
    assert.deepEqual(r.get('203.0.113.99'), { autonomous_system_number: 64500, autonomous_system_organization: 'Example Net' });
    assert.deepEqual(r.get('2001:db8:1::5'), { country_code: 'FR', list: ['a', 'b'], neg: -5, ratio: 0.25 });
    assert.equal(r.get('2001:db9::1'), null);
    assert.equal(r.get('10.0.0.1'), null);
  });
}

test('an IPv4-only tree', () => {
  const v4 = entries.filter((e) => !e.prefix.includes(':'));
  const r = new Reader<Record<string, unknown>>(writeMmdb(v4, { ipVersion: 4, recordSize: 24 }));
  assert.equal(r.metadata.ipVersion, 4);
  assert.deepEqual(r.getWithPrefixLength('192.0.2.5'), [{ country: { iso_code: 'JP' }, n: 7 }, 25]); // the /25 split the /24
  assert.deepEqual(r.getWithPrefixLength('192.0.2.129'), [{ country_code: 'DE' }, 25]);
  assert.throws(() => writeMmdb(entries, { ipVersion: 4 }), /IPv6 prefix/);
});

test('a shorter prefix given after a longer one does not overwrite it', () => {
  const r = new Reader<Record<string, unknown>>(
    writeMmdb([
      { prefix: '192.0.2.64/26', record: { v: 'inner' } },
      { prefix: '192.0.2.0/24', record: { v: 'outer' } },
    ]),
  );
  assert.deepEqual(r.get('192.0.2.70'), { v: 'inner' });
  assert.deepEqual(r.get('192.0.2.1'), { v: 'outer' });
  assert.deepEqual(r.get('192.0.2.200'), { v: 'outer' });
});

test('long strings and large maps use the extended size forms', () => {
  const long = 'x'.repeat(70_000);
  const mid = 'y'.repeat(300);
  const big: Record<string, number> = {};
  for (let i = 0; i < 40; i++) big[`k${i}`] = i * 1000;
  const r = new Reader<Record<string, unknown>>(writeMmdb([{ prefix: '198.51.100.0/24', record: { long, mid, big } }]));
  assert.deepEqual(r.get('198.51.100.1'), { long, mid, big });
});

test('an empty database opens and finds nothing', () => {
  const r = new Reader(writeMmdb([]));
  assert.equal(r.get('192.0.2.1'), null);
  assert.equal(r.get('2001:db8::1'), null);
});

test('bad input is refused with a reason', () => {
  assert.throws(() => writeMmdb([{ prefix: '192.0.2.1/24', record: {} }]), /host bits/);
  assert.throws(() => writeMmdb([{ prefix: '192.0.2.0/24', record: { x: null } }]), /cannot encode null/);
});
