import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StudyIpRecord } from '../../storage/repositories/traceback-ips.js';
import { buildStudyReport } from './build-report.js';
import { renderStudyHtml } from './render-html.js';
import { renderStudyCsv } from './render-csv.js';
import { csvField, escapeHtml, pct } from './format.js';
import { wilson, Z95 } from '../../domain/study-math.js';

const hostile: StudyIpRecord = {
  ip: '192.0.2.1',
  role: 'cc',
  names: ['<script>alert(1)</script>.test'],
  country: '<b>',
  asn: null,
  ptr: '"><img src=x onerror=alert(1)>',
  forwardOk: false,
  s25rRules: [0],
  endUser: true,
  blocklists: [{ feed: '<svg onload=alert(1)>', snapshotDate: null, by: 'ip', value: '192.0.2.1' }],
  sinkhole: null,
  ircVerdict: 'open',
  ircDetail: null,
  lifetimeDays: null,
  lifetimeCensored: null,
  classification: 'end-user',
  classifiedAt: '2024-05-01T00:00:00.000Z',
};

test('HTML: one self-contained page, hostile values escaped, SVG inline, no script', () => {
  const rep = buildStudyReport({ study: 'x<y', generatedAt: '2024-05-01T00:00:00.000Z', ips: [hostile], resolutions: [], fastFlux: ['<i>flux</i>.test'], rejects: 2 });
  const html = renderStudyHtml(rep);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<svg onload/);
  assert.doesNotMatch(html, /<b>/);
  assert.doesNotMatch(html, /<i>flux/);
  assert.match(html, /&lt;svg onload=alert\(1\)&gt;/);
  assert.match(html, /x&lt;y/);
  assert.match(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.doesNotMatch(html, /(src|href)=["']?https?:/);
  assert.match(html, /Table 1/);
  assert.match(html, /Figure 6/);
  assert.match(html, /1-3% \(k=5\)/);
});

test('CSV: header, one row per figure, formula-looking text neutralised', () => {
  const rep = buildStudyReport({ study: 's', generatedAt: '2024-05-01T00:00:00.000Z', ips: [{ ...hostile, country: '=CMD' }], resolutions: [], fastFlux: [], rejects: 0 });
  const csv = renderStudyCsv(rep);
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'section,item,count,n,share,low,high');
  // Wilson at 1/1: low = 1 / (1 + z²) = 1 / 4.8415 ≈ 0.2065.
  const low = wilson(1, 1).low as number;
  assert.ok(Math.abs(low - 1 / (1 + Z95 ** 2)) < 1e-12);
  assert.ok(lines.includes(`table1-s25r-cc,raw,1,1,1,${low},1`));
  assert.ok(lines.some((l) => l.startsWith("figure3-end-user-cc-by-country,'=CMD,1,1,1")));
});

test('formatting helpers', () => {
  assert.equal(pct(0.31), '31.0%');
  assert.equal(pct(1 / 3), '33.3%');
  assert.equal(pct(null), '–');
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(csvField('a,"b"'), '"a,""b"""');
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField(-1), '-1');
  assert.equal(csvField(null), '');
});
