import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { parsePlainList, readPlainList } from './plain-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('plain list reader', () => {
  test('domains, IPs and CIDRs; IDN and case fold to one entry; rejects', async () => {
    const s = await readPlainList(fixture('domains.txt'), { defaultCategory: 'botnet_cc' });
    assert.equal(s.format, 'plain');
    assert.equal(s.snapshotAt, '2016-02-23T14:55:49.000Z');
    assert.equal(s.declaredCount, 6);
    assert.deepEqual(
      s.entries.map((e) => `${e.kind}:${e.value}`),
      ['domain:c2.example', 'domain:xn--bcher-kva.example', 'ip:192.0.2.7', 'cidr:198.51.100.0/24', 'domain:sfkh.test'],
    );
    assert.equal(s.entries[2]?.description, 'an address');
    assert.equal(s.entries[4]?.description, 'Domain used by examplebot,2016-11-12 15:02,http://info.example/bot.txt');
    assert.ok(s.entries.every((e) => e.category === 'botnet_cc'));
    assert.equal(s.duplicates, 3, 'C2.EXAMPLE., bücher.example, 198.51.100.9/24');
    assert.deepEqual(s.warnings, ['line 13: 198.51.100.9/24 has host bits set; listed as 198.51.100.0/24']);
    assert.deepEqual(rejectSummary(s), [
      '14: IP ranges are not supported: 192.0.2.1-192.0.2.9',
      '15: not a domain name: "bad..example"',
      '16: not an IP address: "203.0.113.256" nor a domain name',
    ]);
    assertCounts(s);
  });

  test('description pattern filter', () => {
    const s = parsePlainList('a.example,Domain used by examplebot\nb.example,Domain used by otherbot\n', { category: /examplebot/ });
    assert.deepEqual(s.entries.map((e) => e.value), ['a.example']);
    assert.equal(s.filtered, 1);
    assertCounts(s);
  });

  test('huge and non-UTF-8 lines are rejected, the rest is read', () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const input = Buffer.concat([big, Buffer.from('\n\xff\xfe.example\n', 'latin1'), Buffer.from('ok.example\n')]);
    const s = parsePlainList(input);
    assert.deepEqual(s.entries.map((e) => e.value), ['ok.example']);
    assert.equal(s.rejects.length, 2);
    assert.match(s.rejects[0]?.reason ?? '', /^line longer than 4194304 bytes/);
    assert.ok((s.rejects[0]?.raw.length ?? 0) < 5000, 'raw is truncated');
    assert.equal(s.rejects[1]?.reason, 'not valid UTF-8 (byte 0xff at offset 0)');
    assertCounts(s);
  });

  test('corpus: ZeuS, Feodo domains, Bambenek, blocklist.de lists', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const feodoDomains = await readPlainList(join(dir, 'intelmq-fixtures/abusech_feododomains.txt'));
    assert.equal(feodoDomains.declaredCount, 1);
    assert.equal(feodoDomains.entries.length, 1);
    assert.equal(feodoDomains.snapshotDate, '2016-02-23');
    assertCounts(feodoDomains);
    for (const [file, n, date] of [
      ['abusech_zeusips.txt', 1, null],
      ['bambenek_c2-dommasterlist.txt', 1, '2016-11-12'],
      ['bambenek_c2-ipmasterlist.txt', 1, '2016-11-12'],
      ['blocklistde_imap.txt', 6, null],
    ] as const) {
      const s = await readPlainList(join(dir, 'intelmq-fixtures', file));
      assert.deepEqual(s.rejects, [], file);
      assert.equal(s.entries.length, n, file);
      if (date !== null) assert.equal(s.snapshotDate, date, file);
      assertCounts(s);
    }
  });
});
