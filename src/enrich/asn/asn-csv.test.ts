import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asnTableFromTexts, defaultAsnCsvPaths, loadAsnCsv, MAX_KEPT_ERRORS } from './asn-csv.js';

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

test('start,end,asn,org CSV with quoted organisations', () => {
  const t = loadAsnCsv(fixture('asn-sample.csv'));
  assert.deepEqual(t.asn('192.0.2.0'), { asn: 64500, org: 'Example Net' });
  assert.deepEqual(t.asn('192.0.2.127'), { asn: 64500, org: 'Example Net' });
  assert.deepEqual(t.asn('192.0.2.128'), { asn: 64501, org: 'Example, Inc.' });
  assert.deepEqual(t.asn('198.51.100.77'), { asn: 64502, org: 'Quote "Q" Networks' });
  assert.deepEqual(t.asn('203.0.113.63'), { asn: 64503, org: null });
  assert.equal(t.asn('203.0.113.64'), null, 'the broken row was not loaded');
  assert.deepEqual(t.asn('2001:db8:1::5'), { asn: 64510, org: 'IPv6 Example' }, 'the contained range was dropped');
  assert.deepEqual(t.asn('::ffff:192.0.2.200'), { asn: 64501, org: 'Example, Inc.' });
  assert.equal(t.asn('2001:db9::'), null);
  assert.equal(t.asn('garbage'), null);
  assert.equal(t.v4Ranges, 4);
  assert.equal(t.v6Ranges, 1);
  assert.equal(t.errorCount, 4);
  assert.deepEqual(
    t.errors.map((e) => [e.line, e.reason.split(' ').slice(0, 3).join(' ')]).sort((a, b) => Number(a[0]) - Number(b[0])),
    [
      [5, 'invalid IPv4 range'],
      [7, 'range 2001:db8:1::-2001:db8:1::ff overlaps'],
      [8, 'range end is'],
      [9, 'invalid ASN "notanumber"'],
    ],
  );
  const bad = t.errors.find((e) => e.line === 5)!;
  assert.equal(bad.raw, '203.0.113.64,not-an-ip,64504,Broken End');
  assert.ok(bad.file.endsWith('asn-sample.csv'));
  assert.ok(t.errors.find((e) => e.line === 7)!.reason.endsWith('dropped it'));
});

test('iptoasn TSV: header skipped, country column ignored, ASN 0 is not routed', () => {
  const t = loadAsnCsv(fixture('ip2asn-sample.tsv'));
  assert.deepEqual(t.asn('192.0.2.9'), { asn: 64520, org: 'TSV Example' });
  assert.equal(t.asn('198.51.100.1'), null);
  assert.deepEqual(t.asn('198.51.100.200'), { asn: 64521, org: 'Second TSV' });
  assert.deepEqual(t.asn('2001:db8::abcd'), { asn: 64522, org: 'TSV Six' });
  assert.equal(t.asn('2001:db8::1:0'), null);
  assert.equal(t.unrouted, 1);
  assert.equal(t.errorCount, 0);
});

test('CIDR rows with CRLF, comments, blank lines, AS prefixes and an optional org', () => {
  const t = loadAsnCsv(fixture('cidr-sample.csv'));
  assert.deepEqual(t.asn('192.0.2.127'), { asn: 64530, org: 'CIDR, One' });
  assert.deepEqual(t.asn('192.0.2.128'), { asn: 64531, org: null });
  assert.deepEqual(t.asn('2001:db8:8000::1'), { asn: 64532, org: 'CIDR Six' });
  assert.deepEqual(t.asn('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), { asn: 64532, org: 'CIDR Six' });
  assert.equal(t.asn('2001:db8:7fff:ffff:ffff:ffff:ffff:ffff'), null);
  assert.equal(t.errorCount, 1);
  assert.equal(t.errors[0]!.line, 7);
  assert.match(t.errors[0]!.reason, /host bits/);
});

test('several files merge; unsorted input is sorted; a partial overlap is trimmed', () => {
  const t = asnTableFromTexts([
    { source: 'b.csv', text: '203.0.113.0,203.0.113.255,64541,Later\n192.0.2.0,192.0.2.255,64540,Earlier\n' },
    { source: 'c.csv', text: '203.0.113.128,203.0.114.10,64542,Overlapping\n' },
  ]);
  assert.equal(t.asn('192.0.2.1')?.asn, 64540);
  assert.equal(t.asn('203.0.113.200')?.asn, 64541, 'the earlier-starting range keeps the shared part');
  assert.equal(t.asn('203.0.114.5')?.asn, 64542, 'the rest of the overlapping range survives');
  assert.equal(t.errorCount, 1);
  assert.deepEqual([t.errors[0]!.file, t.errors[0]!.line], ['c.csv', 1]);
  assert.match(t.errors[0]!.reason, /kept it from 203\.0\.114\.0 on/);
});

test('IPv4 look-ups around /16 edges: ranges across, inside and between /16s, each /16 asked twice', () => {
  const t = asnTableFromTexts([
    {
      source: 'edges.csv',
      text: [
        '198.51.0.0,198.51.255.255,64500,Whole',
        '203.0.100.0,203.1.0.10,64501,Across',
        '203.1.0.20,203.1.0.30,64502,Inside',
        '203.1.200.0,203.3.0.0,64503,Spans',
        '255.255.255.0,255.255.255.255,64504,Last',
      ].join('\n'),
    },
  ]);
  const cases: [string, number | undefined][] = [
    ['198.50.255.255', undefined],
    ['198.51.0.0', 64500],
    ['198.51.255.255', 64500],
    ['198.52.0.0', undefined],
    ['203.0.99.255', undefined],
    ['203.0.255.255', 64501],
    ['203.1.0.0', 64501],
    ['203.1.0.10', 64501],
    ['203.1.0.11', undefined],
    ['203.1.0.25', 64502],
    ['203.1.0.31', undefined],
    ['203.1.199.255', undefined],
    ['203.2.0.0', 64503],
    ['203.3.0.0', 64503],
    ['203.3.0.1', undefined],
    ['0.0.0.0', undefined],
    ['255.255.255.255', 64504],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [ip, asn] of cases) assert.equal(t.asn(ip)?.asn, asn, `${ip} (round ${round})`);
  }
});

test('hostile input: garbage, truncation, unterminated quotes, huge fields, non-UTF-8', () => {
  const huge = 'x'.repeat(200_000);
  const t = asnTableFromTexts([
    {
      source: 'hostile.csv',
      text: [
        '\ufeff192.0.2.0,192.0.2.255,64550,"BOM first"',
        '{"json": true}',
        '192.0.2.0',
        '198.51.100.0,198.51.100.255',
        '198.51.100.0,198.51.100.255,64551,"unterminated',
        '198.51.100.0,198.51.100.255,99999999999,Too big',
        `${huge},198.51.100.255,64552,x`,
        '198.51.100.0,198.51.100.255,64553,\ufffd\ufffd broken bytes',
        '2001:db8::,2001:db8::1:2:3:4:5:6:7,64554,bad v6',
        '203.0.113.0,2001:db8::,64555,mixed',
        '203.0.113.0,203.0.113.255,645',
      ].join('\n'),
    },
  ]);
  assert.deepEqual(t.asn('192.0.2.3'), { asn: 64550, org: 'BOM first' });
  assert.deepEqual(t.asn('198.51.100.3'), { asn: 64553, org: '\ufffd\ufffd broken bytes' });
  assert.deepEqual(t.asn('203.0.113.3'), { asn: 645, org: null }, 'a truncated last line without newline still reads');
  assert.equal(t.errorCount, 8);
  assert.deepEqual(t.errors.map((e) => e.line), [2, 3, 4, 5, 6, 7, 9, 10]);
  assert.ok(t.errors.every((e) => e.raw.length <= 4200), 'raw text is truncated');
});

test('errors beyond the cap are counted, not kept', () => {
  const t = asnTableFromTexts([{ source: 'junk', text: 'junk\n'.repeat(MAX_KEPT_ERRORS + 5) }]);
  assert.equal(t.errorCount, MAX_KEPT_ERRORS + 5);
  assert.equal(t.errors.length, MAX_KEPT_ERRORS);
});

test('a missing file throws', () => {
  assert.throws(() => loadAsnCsv(fixture('missing.csv')), /ENOENT/);
});

test('the default @ip-location-db/asn files load', (t) => {
  const paths = defaultAsnCsvPaths();
  if (!paths.every((p) => existsSync(p))) return t.skip('@ip-location-db/asn not installed');
  const started = performance.now();
  const table = loadAsnCsv(paths);
  const ms = performance.now() - started;
  assert.ok(table.v4Ranges > 100_000 && table.v6Ranges > 10_000);
  assert.ok(table.errorCount < 100, `${table.errorCount} bad lines`);
  assert.equal(table.asn('192.0.2.1'), null, 'documentation space is not announced');
  // Generous: the real bound is ~0.5 s on an idle machine; tests share two cores.
  assert.ok(ms < 10_000, `loading took ${ms.toFixed(0)} ms`);
});
