import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { parseFeodo, readFeodo } from './feodo-reader.js';
import { parseThreatfox, readThreatfox } from './threatfox-reader.js';
import { parseUrlhaus, readUrlhaus } from './urlhaus-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('ThreatFox reader', () => {
  test('15 columns with header: kinds, ports, lifetimes, hash IOCs filtered, rejects', async () => {
    const s = await readThreatfox(fixture('threatfox-15.csv'));
    assert.equal(s.format, 'threatfox-csv-15');
    assert.equal(s.snapshotDate, '2026-09-24');
    assert.equal(s.snapshotDateSource, 'header');
    assert.deepEqual(
      s.entries.map((e) => `${e.kind}:${e.value}:${e.category}`),
      ['url:https://www.payload.example/:payload_delivery', 'ip:192.0.2.77:botnet_cc', 'domain:cc.example:botnet_cc'],
    );
    const ip = s.entries[1];
    assert.equal(ip?.port, 14643);
    assert.equal(ip?.malware, 'Remcos');
    // The second listing of 192.0.2.77 (line 11) widens the lifetime to both listings.
    assert.equal(ip?.firstSeen, '2026-09-20T08:00:00.000Z');
    assert.equal(ip?.lastSeen, '2026-09-26T10:00:00.000Z');
    assert.equal(s.entries[0]?.domain, 'www.payload.example');
    assert.equal(s.entries[0]?.lastSeen, undefined);
    assert.equal(s.duplicates, 1);
    assert.deepEqual(s.filteredBy, { 'ioc_type:md5_hash': 1 });
    assert.deepEqual(rejectSummary(s), [
      '12: expected 15 columns as in the header, got 14',
      '13: bad ioc_value for type domain: not a domain name: "not_a_domain"',
      '14: bad first_seen_utc column: not a date/time: "yesterday"',
    ]);
    assertCounts(s);
  });

  test('category filter keeps botnet_cc only', () => {
    const s = parseThreatfox(readFileSync(fixture('threatfox-15.csv')), { category: ['botnet_cc'] });
    assert.deepEqual(s.entries.map((e) => e.value), ['192.0.2.77', 'cc.example']);
    assert.deepEqual(s.filteredBy, { 'ioc_type:md5_hash': 1, category: 1 });
    assertCounts(s);
  });

  test('14 columns without header: layout by count, bad count rejected', () => {
    const s = parseThreatfox(readFileSync(fixture('threatfox-14-noheader.csv'), 'utf8'), { snapshotDate: '2021-03-02' });
    assert.equal(s.format, 'threatfox-csv-14');
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.port ?? ''}`), ['cc.test:', '2001:db8::7:443']);
    assert.deepEqual(rejectSummary(s), ['3: expected 14 or 15 columns, got 13']);
    assertCounts(s);
  });
});

describe('URLhaus reader', () => {
  test('csv_recent: URLs with hosts, duplicates, rejects', async () => {
    const s = await readUrlhaus(fixture('urlhaus.csv'));
    assert.equal(s.format, 'urlhaus-csv-9');
    assert.equal(s.snapshotDate, '2026-07-30');
    assert.deepEqual(
      s.entries.map((e) => [e.value, e.ip ?? e.domain, e.port, e.status]),
      [
        ['http://192.0.2.89:37352/bin.sh', '192.0.2.89', 37352, 'online'],
        ['https://dl.example/a.exe', 'dl.example', undefined, 'offline'],
      ],
    );
    assert.equal(s.entries[0]?.lastSeen, '2026-07-30T11:54:23.000Z');
    assert.equal(s.entries[0]?.category, 'malware_download');
    assert.equal(s.duplicates, 1);
    assert.deepEqual(rejectSummary(s), ['9: URL has no valid host: "https://exa mple/"', '10: expected 9 columns as in the header, got 8']);
    assertCounts(s);
  });

  test('no header and 8 columns is refused line by line', () => {
    const s = parseUrlhaus('"1","2019-01-01 00:00:00","http://x.example/","online","malware_download","","l","r"\n');
    assert.equal(s.entries.length, 0);
    assert.match(s.rejects[0]?.reason ?? '', /no column header and 8 columns/);
    assertCounts(s);
  });
});

describe('Feodo Tracker reader', () => {
  test('2020 CSV', async () => {
    const s = await readFeodo(fixture('feodo-2020.csv'));
    assert.equal(s.format, 'feodo-csv-2020');
    assert.equal(s.snapshotAt, '2020-11-02T13:34:57.000Z');
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.port}:${e.malware}`), ['192.0.2.10:80:Heodo', '198.51.100.20:8080:Heodo']);
    assert.equal(s.entries[0]?.firstSeen, '2020-10-29T19:16:38.000Z');
    assert.equal(s.entries[0]?.lastSeen, '2020-11-02T00:00:00.000Z');
    assert.equal(s.duplicates, 1);
    assert.deepEqual(rejectSummary(s), [
      '9: bad IP: not an IP address: "192.0.2.999"',
      '10: bad first seen: not a valid date/time: "2020-13-30 01:00:00"',
      '11: expected 5 columns (feodo-csv-2020), got 4',
      '12: bad port: not a port: "99999"',
    ]);
    assertCounts(s);
  });

  test('2021 CSV with its uncommented quoted header and END count', () => {
    const s = parseFeodo(readFileSync(fixture('feodo-2021.csv')));
    assert.equal(s.format, 'feodo-csv-2021');
    assert.equal(s.declaredCount, 2);
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.status}`), ['203.0.113.5:online', '2001:db8::5:offline']);
    assert.deepEqual(rejectSummary(s), ['9: expected 6 columns (feodo-csv-2021), got 5']);
    assertCounts(s);
  });

  test('JSON array: per-item rejects, truncated tail, item refs', async () => {
    const s = await readFeodo(fixture('feodo.json'));
    assert.equal(s.format, 'feodo-json');
    assert.deepEqual(s.entries.map((e) => `${e.value}:${e.asn ?? ''}`), ['192.0.2.50:64496', '198.51.100.52:64497']);
    assert.deepEqual(s.entries[0]?.ref, { file: fixture('feodo.json'), line: null, row: 'item:1' });
    assert.equal(s.entries[1]?.lastSeen, '2022-11-15T00:00:00.000Z');
    assert.deepEqual(
      rejectSummary(s).map((r) => r.replace(/(JSON: ).*/, '$1…')),
      [
        '14: bad port: not a port: "not-a-port"',
        '29: bad first seen: not a valid date/time: "2021-02-30 00:00:00"',
        '32: bad IP: not an IP address: ""',
        '35: invalid JSON: …',
        '38: truncated JSON object (no closing "}")',
      ],
    );
    assert.deepEqual(s.warnings, ['truncated JSON array (no closing "]")']);
    assertCounts(s, false);
    assert.equal(s.itemsRead, 7);
  });

  test('not an array at all', () => {
    const s = parseFeodo('[');
    assert.equal(s.entries.length, 0);
    assert.equal(s.warnings.length, 1);
  });
});

describe('abuse.ch corpus samples', () => {
  test('ThreatFox, URLhaus, Feodo 2020 and 2021 parse completely', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const tf = await readThreatfox(join(dir, 'abusech/threatfox_full_sample.csv'));
    assert.equal(tf.format, 'threatfox-csv-15');
    assert.deepEqual(tf.rejects, []);
    assert.deepEqual(tf.entries.map((e) => `${e.kind}:${e.value}:${e.port ?? ''}`), ['url:https://www.cedipay.cash/:', 'ip:155.103.71.242:14643']);
    assertCounts(tf);

    const uh = await readUrlhaus(join(dir, 'abusech/urlhaus_csv_sample.csv'));
    assert.equal(uh.format, 'urlhaus-csv-9');
    assert.deepEqual(uh.rejects, []);
    assert.equal(uh.entries.length, 1);
    assertCounts(uh);

    const tld = await readUrlhaus(join(dir, 'intelmq-fixtures/abusech_urlhaus.txt'));
    assert.equal(tld.format, 'urlhaus-tld-csv');
    assert.equal(tld.snapshotDate, '2019-02-13');
    assert.equal(tld.declaredCount, 2);
    assert.equal(tld.entries.length, tld.declaredCount);
    assert.equal(tld.entries[0]?.asn, 29083);
    assertCounts(tld);

    const f20 = await readFeodo(join(dir, 'abusech/feodo_ipblocklist_csv_2020_sample.csv'));
    assert.equal(f20.format, 'feodo-csv-2020');
    assert.deepEqual(f20.rejects, []);
    assert.equal(f20.entries.length, 2);
    assertCounts(f20);

    const f21 = await readFeodo(join(dir, 'intelmq-fixtures/abusech_feodoips.txt'));
    assert.equal(f21.format, 'feodo-csv-2021');
    assert.equal(f21.snapshotAt, '2021-02-10T13:34:57.000Z');
    assert.equal(f21.declaredCount, 2);
    assert.equal(f21.entries.length, f21.declaredCount);
    assertCounts(f21);
  });
});
