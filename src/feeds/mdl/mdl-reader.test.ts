import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { parseMdl, readMdl } from './mdl-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('MDL reader', () => {
  test('updatescsv (7 columns): entries, duplicates, rejects with reasons', async () => {
    const s = await readMdl(fixture('updatescsv.csv'), { snapshotDate: '2015-08-01' });
    assert.equal(s.format, 'mdl-updatescsv-7');
    assert.equal(s.snapshotDate, '2015-08-01');
    assert.equal(s.snapshotDateSource, 'option');
    assert.deepEqual(
      s.entries.map((e) => `${e.kind}:${e.value}`),
      ['domain:www.c2.example', 'ip:198.51.100.7', 'domain:evil.test'],
    );
    const [c2, ip] = s.entries;
    assert.equal(c2?.ip, '192.0.2.1');
    assert.equal(c2?.asn, 64496);
    assert.equal(c2?.url, 'www.c2.example/gate.php');
    assert.equal(c2?.description, 'ZeuS v2 drop zone');
    assert.equal(c2?.firstSeen, '2015-07-10T13:37:00.000Z');
    assert.deepEqual(c2?.ref, { file: fixture('updatescsv.csv'), line: 1, row: null });
    assert.equal(ip?.url, '198.51.100.7/bot.exe');
    assert.equal(s.duplicates, 1, 'the upper-case WWW.C2.EXAMPLE line is the same domain');
    assert.equal(s.blank, 1);
    assert.deepEqual(rejectSummary(s), [
      '6: bad ip column: not an IP address: "192.0.2.300"',
      '7: bad date column: not a valid date/time: "2015/02/31 11:00"',
      '8: expected 7 (updatescsv) or 9 (export) columns, got 5',
      '9: bad CSV: unexpected text after quoted field 2',
      '10: bad asn column: not an AS number: "ASX"',
    ]);
    assertCounts(s);
  });

  test('export (9 columns) with inactive flag', () => {
    const s = parseMdl(readFileSync(fixture('export9.csv'), 'utf8'));
    assert.equal(s.format, 'mdl-export-9');
    assert.deepEqual(
      s.entries.map((e) => [e.value, e.status]),
      [
        ['c2.example', 'inactive'],
        ['203.0.113.10', 'active'],
      ],
    );
    assert.equal(s.snapshotDateSource, 'unknown');
    assertCounts(s);
  });

  test('category pattern over the description', () => {
    const s = parseMdl(readFileSync(fixture('updatescsv.csv')), { category: /zeus|c&c/i });
    assert.deepEqual(
      s.entries.map((e) => e.value),
      ['www.c2.example', 'evil.test'],
    );
    assert.equal(s.filteredBy.category, 1);
    // The duplicate line (ZeuS v2 config) passes the filter and is then counted as duplicate.
    assert.equal(s.duplicates, 1);
    assertCounts(s);
  });

  test('non-UTF-8 bytes reject only their line', () => {
    const good = Buffer.from('"2015/07/10_13:37","ok.test/x","192.0.2.1","-","Trojan","-","64496"\n');
    const bad = Buffer.concat([Buffer.from('"2015/07/10_13:37","bad.test/x","192.0.2.1","-","Libor Kr'), Buffer.from([0xe1]), Buffer.from('l","-","64496"\n')]);
    const s = parseMdl(Buffer.concat([bad, good]));
    assert.deepEqual(rejectSummary(s), ['1: not valid UTF-8 (byte 0xe1 at offset 57)']);
    assert.deepEqual(s.entries.map((e) => e.value), ['ok.test']);
    assertCounts(s);
  });

  test('a mixed file is flagged', () => {
    const s = parseMdl(readFileSync(fixture('export9.csv'), 'utf8') + readFileSync(fixture('updatescsv.csv'), 'utf8').split('\n')[0]);
    assert.equal(s.format, 'mdl-mixed');
    assert.equal(s.warnings.length, 1);
  });

  test('corpus: the real updatescsv sample parses completely', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const s = await readMdl(join(dir, 'mdl/mdl_updatescsv_sample.csv'));
    assert.equal(s.format, 'mdl-updatescsv-7');
    assert.deepEqual(s.rejects, []);
    assert.deepEqual(
      s.entries.map((e) => `${e.kind}:${e.value}`),
      ['domain:www.example.net', 'ip:155.133.18.117', 'domain:www.agrimont.cz'],
    );
    assert.equal(s.snapshotDateSource, 'mtime');
    assertCounts(s);
  });
});
