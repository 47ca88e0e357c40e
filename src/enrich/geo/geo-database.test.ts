import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMmdb, type MmdbEntry } from './mmdb-writer.js';
import { defaultGeoDatabasePath, openGeoDatabase, type GeoDatabase } from './geo-database.js';
import { homeIpv4Slash16Blocks } from './home-blocks.js';
import { parsePrefix } from '../../domain/ip.js';

// Both record shapes: MaxMind's (country / registered_country) and @ip-location-db's (country_code).
const ENTRIES: MmdbEntry[] = [
  { prefix: '192.0.0.0/17', record: { country: { iso_code: 'JP' } } }, // exactly half of 192.0/16
  { prefix: '192.0.128.0/18', record: { country: { iso_code: 'US' }, registered_country: { iso_code: 'JP' } } },
  // The /15 covering 198.51.100.0/24: a network larger than a block counts for every block it spans.
  { prefix: '198.50.0.0/15', record: { registered_country: { iso_code: 'JP' } } },
  { prefix: '203.0.0.0/18', record: { country_code: 'jp' } }, // 16384 +
  { prefix: '203.0.64.0/19', record: { country_code: 'JP' } }, // 8192 +
  { prefix: '203.0.113.0/24', record: { country_code: 'JP' } }, // 256 = 24832 < 32768
  { prefix: '203.0.112.0/24', record: { continent: { code: 'AS' } } }, // no country at all
  { prefix: '2001:db8::/32', record: { country_code: 'JP' } },
];

let dir = '';
let db: GeoDatabase;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-geo-'));
  const file = join(dir, 'test.mmdb');
  writeFileSync(file, writeMmdb(ENTRIES, { databaseType: 'Synthetic-Country' }));
  db = await openGeoDatabase(file);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('country() reads both record shapes, located country before registered', () => {
  assert.equal(db.databaseType, 'Synthetic-Country');
  assert.equal(db.country('192.0.2.1'), 'JP');
  assert.equal(db.country('192.0.130.1'), 'US');
  assert.equal(db.country('198.51.100.1'), 'JP');
  assert.equal(db.country('203.0.0.9'), 'JP', 'lower-case codes are upper-cased');
  assert.equal(db.country('203.0.113.5'), 'JP');
  assert.equal(db.country('203.0.112.5'), null, 'a record without any country');
  assert.equal(db.country('192.0.200.1'), null, 'an address in no network');
  assert.equal(db.country('::ffff:203.0.113.5'), 'JP', 'IPv4-mapped goes to the IPv4 tree');
  assert.equal(db.country('2001:db8:1::1'), 'JP');
  assert.equal(db.country('2001:db9::1'), null);
});

test('country() never throws on hostile input', () => {
  for (const bad of ['', 'x', '999.1.1.1', '192.0.2.1\u0000', '2001:db8::1%eth0', ':'.repeat(5000)]) assert.equal(db.country(bad), null);
});

test('home /16 blocks: at least half of the block in the country', () => {
  const blocks = homeIpv4Slash16Blocks(db, 'jp');
  assert.deepEqual([...blocks].sort((a, b) => a - b), [192 * 256 + 0, 198 * 256 + 50, 198 * 256 + 51]);
  assert.deepEqual([...homeIpv4Slash16Blocks(db, 'US')], [], '16384 of 65536 is under half');
});

test('openGeoDatabase rejects a missing or broken file', async () => {
  await assert.rejects(openGeoDatabase(join(dir, 'missing.mmdb')));
  const broken = join(dir, 'broken.mmdb');
  writeFileSync(broken, Buffer.from('not a maxmind database at all'));
  await assert.rejects(openGeoDatabase(broken));
});

test('the default database resolves and answers', async (t) => {
  const path = defaultGeoDatabasePath();
  if (!existsSync(path)) return t.skip(`default database missing: ${path}`);
  const real = await openGeoDatabase(path);
  assert.equal(real.country('192.0.2.1'), null, 'documentation addresses have no country');
  assert.equal(real.country('not an ip'), null);
});

test('the IPv4 tree walk answers as the reader does, for every record size and both tree kinds', async () => {
  for (const recordSize of [24, 28, 32] as const) {
    for (const ipVersion of [4, 6] as const) {
      const file = join(dir, `walk-${recordSize}-${ipVersion}.mmdb`);
      const entries = ipVersion === 4 ? ENTRIES.filter((e) => !e.prefix.includes(':')) : ENTRIES;
      writeFileSync(file, writeMmdb(entries, { databaseType: 'Synthetic-Country', recordSize, ipVersion }));
      const g = await openGeoDatabase(file);
      const want: Record<string, string | null> = {
        '192.0.2.1': 'JP', '192.0.130.1': 'US', '198.51.100.1': 'JP', '203.0.0.9': 'JP', '203.0.113.5': 'JP',
        '203.0.112.5': null, '192.0.200.1': null, '0.0.0.0': null, '255.255.255.255': null,
      };
      for (const [ip, country] of Object.entries(want)) {
        const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
        assert.equal(g.countryV4?.(((a << 24) | (b << 16) | (c << 8) | d) >>> 0), country, `${ip} (${recordSize}-bit, IPv${ipVersion} tree)`);
        assert.equal(g.country(ip), country, ip);
      }
    }
  }
});

test('the IPv4 tree walk agrees with the reader on the default database', async (t) => {
  const path = defaultGeoDatabasePath();
  if (!existsSync(path)) return t.skip(`default database missing: ${path}`);
  const maxmind = (await import('maxmind')).default;
  const reader = await maxmind.open(path);
  const real = await openGeoDatabase(path);
  // Addresses spread over the whole space by a multiplicative hash; only looked up, never contacted.
  for (let i = 0; i < 20_000; i++) {
    const n = Math.imul(i, 2654435761) >>> 0;
    const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    const rec = reader.get(ip) as { country_code?: string; country?: { iso_code?: string } } | null;
    const want = rec === null ? null : (rec.country?.iso_code ?? rec.country_code ?? null)?.toUpperCase() ?? null;
    assert.equal(real.countryV4?.(n), want, ip);
  }
});

const CORPUS = new URL('../../../../shared/corpus/geoip/', import.meta.url);

test('corpus: GeoLite2-Country-Test.mmdb agrees with its JSON source', async (t) => {
  const mmdb = new URL('GeoLite2-Country-Test.mmdb', CORPUS);
  const json = new URL('GeoLite2-Country-Test.json', CORPUS);
  if (!existsSync(mmdb) || !existsSync(json)) return t.skip('corpus geoip test databases absent');
  const real = await openGeoDatabase(mmdb.pathname);
  const source = JSON.parse(readFileSync(json, 'utf8')) as Record<string, { country?: { iso_code: string }; registered_country?: { iso_code: string } }>[];
  const perBlock = new Map<string, Map<number, number>>();
  let checked = 0;
  for (const row of source) {
    for (const [prefix, rec] of Object.entries(row)) {
      const want = rec.country?.iso_code ?? rec.registered_country?.iso_code ?? null;
      const p = parsePrefix(prefix);
      assert.ok(p.ok, prefix);
      const first = prefix.split('/')[0]!;
      assert.equal(real.country(first), want, prefix);
      checked++;
      if (p.prefix.version === 4 && want !== null) {
        const counts = perBlock.get(want) ?? new Map<number, number>();
        perBlock.set(want, counts);
        const size = 2 ** (32 - p.prefix.length);
        for (let a = p.prefix.v4; a < p.prefix.v4 + size; a += Math.min(size, 65536)) {
          const block = Math.floor(a / 65536);
          counts.set(block, (counts.get(block) ?? 0) + Math.min(size, 65536));
        }
      }
    }
  }
  assert.ok(checked > 200);
  for (const [country, counts] of perBlock) {
    const want = [...counts].filter(([, n]) => n >= 32768).map(([b]) => b).sort((a, b) => a - b);
    const got = [...homeIpv4Slash16Blocks(real, country)].sort((a, b) => a - b);
    assert.deepEqual(got, want, country);
  }
});
