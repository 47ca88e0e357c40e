import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { parseSpamhaus, readSpamhaus } from './spamhaus-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('Spamhaus reader', () => {
  test('DROP text', async () => {
    const s = await readSpamhaus(fixture('drop.txt'), { snapshotDate: '2015-09-13' });
    assert.equal(s.format, 'spamhaus-drop-text');
    assert.equal(s.snapshotAt, '2015-09-14T04:39:22.000Z', 'Last-Modified beats the title date');
    assert.equal(s.snapshotDateSource, 'header');
    assert.equal(s.warnings.length, 1, 'the option disagrees with the header');
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.description}:${e.category}`), [
      '192.0.2.0/24:SBL000001:drop',
      '198.51.100.0/22:SBL000002:drop',
      '2001:db8::/32:SBL000003:drop',
    ]);
    assert.deepEqual(rejectSummary(s), ['8: not a CIDR (bad prefix length): "203.0.113.0/33"']);
    assertCounts(s);
  });

  test('ASN-DROP text', async () => {
    const s = await readSpamhaus(fixture('asndrop.txt'));
    assert.equal(s.format, 'spamhaus-asndrop-text');
    assert.deepEqual(s.entries.map((e) => `${e.kind}:${e.value}:${e.asn}:${e.description}`), [
      'asn:AS64496:64496:ZZ | EXAMPLE-AS - Example Net',
      'asn:AS64497:64497:| Other Example',
    ]);
    assert.deepEqual(rejectSummary(s), ['5: not an AS number: "ASX"']);
    assertCounts(s);
  });

  test('DROP JSON lines: metadata date and count, broken lines', async () => {
    const s = await readSpamhaus(fixture('drop_v4.json'));
    assert.equal(s.format, 'spamhaus-drop-json');
    assert.equal(s.snapshotAt, new Date(1790072042 * 1000).toISOString());
    assert.equal(s.declaredCount, 3);
    assert.equal(s.entries.length, 2);
    assert.equal(s.duplicates, 1);
    assert.deepEqual(
      rejectSummary(s).map((r) => r.replace(/(JSON: ).*/, '$1…')),
      ['4: JSON object has neither "cidr" nor "asn" (nor type "metadata")', '5: invalid JSON: …', '6: JSON line is not an object'],
    );
    assert.equal(s.comments, 1, 'the metadata line');
    assertCounts(s);
  });

  test('ASN-DROP JSON lines', () => {
    const s = parseSpamhaus(`{"asn":64496,"cc":"ZZ","asname":"EXAMPLE-AS"}\n{"asn":"64510x"}\n{"type":"metadata","timestamp":1787248000}\n`);
    assert.equal(s.format, 'spamhaus-asndrop-json');
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.description}`), ['AS64496:ZZ | EXAMPLE-AS']);
    assert.deepEqual(rejectSummary(s), ['2: not an AS number: "64510x"']);
    assert.equal(s.snapshotDate, '2026-08-20');
    assertCounts(s);
  });

  test('corpus: DROP/ASN-DROP in text (2015) and JSON', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const cases = [
      ['spamhaus/drop_txt_2015_sample.txt', 'spamhaus-drop-text', 2, '2015-09-14'],
      ['spamhaus/asndrop_txt_2015_sample.txt', 'spamhaus-asndrop-text', 2, '2015-09-14'],
      ['spamhaus/drop_v4_sample.json', 'spamhaus-drop-json', 2, null],
      ['spamhaus/asndrop_sample.json', 'spamhaus-asndrop-json', 3, null],
      ['intelmq-fixtures/spamhaus_drop.txt', 'spamhaus-drop-text', 2, '2015-09-14'],
    ] as const;
    for (const [file, format, n, date] of cases) {
      const s = await readSpamhaus(join(dir, file));
      assert.equal(s.format, format, file);
      assert.deepEqual(s.rejects, [], file);
      assert.equal(s.entries.length, n, file);
      if (s.declaredCount !== null) assert.equal(s.entries.length, s.declaredCount, `${file}: count stated in metadata`);
      if (date !== null) assert.equal(s.snapshotDate, date, file);
      else assert.equal(s.snapshotDateSource, 'header', `${file}: metadata timestamp`);
      assertCounts(s);
    }
  });
});
