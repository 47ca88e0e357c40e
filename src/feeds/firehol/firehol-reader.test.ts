import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { readFirehol } from './firehol-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('FireHOL reader', () => {
  test('ipset: name as category, Source File Date, declared count, CRLF, rejects', async () => {
    const s = await readFirehol(fixture('example_botcc.ipset'));
    assert.equal(s.format, 'firehol-ipset');
    assert.equal(s.snapshotAt, '2015-06-01T04:30:01.000Z', 'the upstream date, not FireHOL copy date');
    assert.equal(s.declaredCount, 4);
    assert.deepEqual(s.entries.map((e) => e.value), ['192.0.2.1', '192.0.2.2', '198.51.100.3', '2001:db8::1']);
    assert.ok(s.entries.every((e) => e.category === 'example_botcc'));
    assert.equal(s.duplicates, 1);
    assert.deepEqual(rejectSummary(s), ['14: not an IP address: "not-an-ip"']);
    assertCounts(s);
  });

  test('netset: /32 is an IP, bad prefix rejected, category option wins', async () => {
    const s = await readFirehol(fixture('example_block.netset'), { defaultCategory: 'blocklist' });
    assert.equal(s.format, 'firehol-netset');
    assert.equal(s.snapshotDate, '2015-06-02');
    assert.deepEqual(s.entries.map((e) => `${e.kind}:${e.value}:${e.category}`), [
      'cidr:192.0.2.0/24:blocklist',
      'cidr:198.51.100.0/23:blocklist',
      'ip:203.0.113.7:blocklist',
    ]);
    assert.deepEqual(rejectSummary(s), ['12: not a CIDR (bad prefix length): "192.0.2.0/33"']);
    assertCounts(s);
  });

  test('corpus: et_botcc and et_block excerpts', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const botcc = await readFirehol(join(dir, 'firehol/et_botcc.ipset.excerpt'));
    assert.equal(botcc.format, 'firehol-ipset');
    assert.equal(botcc.snapshotDate, '2015-06-01');
    // The header states the full list (505); the excerpt keeps its first 10 (see _source.txt).
    assert.equal(botcc.declaredCount, 505);
    assert.equal(botcc.entries.length, 10);
    assert.deepEqual(botcc.rejects, []);
    assertCounts(botcc);
    const block = await readFirehol(join(dir, 'firehol/et_block.netset.excerpt'));
    assert.equal(block.format, 'firehol-netset');
    assert.equal(block.declaredCount, 997);
    assert.equal(block.entries.length, 6);
    assert.deepEqual(block.rejects, []);
    assertCounts(block);
  });
});
