import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMmdb } from '../geo/mmdb-writer.js';
import { openAsnMmdb } from './asn-mmdb.js';

test('GeoLite2-ASN shaped records from a synthetic database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-asn-'));
  try {
    const file = join(dir, 'asn.mmdb');
    writeFileSync(
      file,
      writeMmdb([
        { prefix: '192.0.2.0/24', record: { autonomous_system_number: 64500, autonomous_system_organization: 'Example Net' } },
        { prefix: '198.51.100.0/24', record: { autonomous_system_number: 64501 } },
        { prefix: '203.0.113.0/24', record: { autonomous_system_organization: 'no number' } },
        { prefix: '2001:db8::/32', record: { autonomous_system_number: 64502, autonomous_system_organization: '' } },
      ]),
    );
    const a = await openAsnMmdb(file);
    assert.deepEqual(a.asn('192.0.2.9'), { asn: 64500, org: 'Example Net' });
    assert.equal(a.asn('192.0.2.9'), a.asn('192.0.2.10'), 'one shared result per record');
    assert.deepEqual(a.asn('198.51.100.9'), { asn: 64501, org: null });
    assert.equal(a.asn('203.0.113.9'), null);
    assert.deepEqual(a.asn('2001:db8::9'), { asn: 64502, org: null });
    assert.deepEqual(a.asn('::ffff:192.0.2.9'), { asn: 64500, org: 'Example Net' });
    assert.equal(a.asn('2001:db9::'), null);
    assert.equal(a.asn('not-an-ip'), null);
    await assert.rejects(openAsnMmdb(join(dir, 'missing.mmdb')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('corpus: GeoLite2-ASN-Test.mmdb agrees with its JSON source', async (t) => {
  const dir = new URL('../../../../shared/corpus/geoip/', import.meta.url);
  const mmdb = new URL('GeoLite2-ASN-Test.mmdb', dir);
  const json = new URL('GeoLite2-ASN-Test.json', dir);
  if (!existsSync(mmdb) || !existsSync(json)) return t.skip('corpus geoip test databases absent');
  const a = await openAsnMmdb(mmdb.pathname);
  const source = JSON.parse(readFileSync(json, 'utf8')) as Record<string, { autonomous_system_number?: number; autonomous_system_organization?: string }>[];
  let checked = 0;
  for (const row of source) {
    for (const [prefix, rec] of Object.entries(row)) {
      const want = rec.autonomous_system_number === undefined ? null : { asn: rec.autonomous_system_number, org: rec.autonomous_system_organization ?? null };
      assert.deepEqual(a.asn(prefix.split('/')[0]!), want, prefix);
      checked++;
    }
  }
  assert.ok(checked > 500, `${checked} networks checked`);
});
