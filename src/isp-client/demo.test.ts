import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { nextDemoNoticeDay, runIspClientDemo } from './demo.js';
import { loadCsvLookup } from './lookup/csv-lookup.js';
import PostalMime from 'postal-mime';
import { startRealCenter } from './testing/real-center.js';
import { dialectTest } from '../testing/databases.js';
import * as workflow from '../workflow/index.js';

test('the bundled synthetic subscriber file loads cleanly', () => {
  const l = loadCsvLookup(new URL('../../demo/isp/subscribers.csv', import.meta.url).pathname);
  assert.deepEqual(l.rejects, []);
});

test('next demo notice day is a Wednesday 10:00 in Tokyo', () => {
  assert.equal(nextDemoNoticeDay(new Date('2024-07-01T12:00:00Z')).toISOString(), '2024-07-03T01:00:00.000Z');
  assert.equal(nextDemoNoticeDay(new Date('2024-07-03T01:00:00Z')).toISOString(), '2024-07-03T01:00:00.000Z');
  assert.equal(nextDemoNoticeDay(new Date('2024-07-03T02:00:00Z')).toISOString(), '2024-07-10T01:00:00.000Z');
});

dialectTest('runIspClientDemo answers the real center (in process) from the bundled file and writes staged .eml files', async (_t, storage) => {
  const at = [{ time: '2024-05-03T10:00:01.000Z', port: 40001 }];
  const center = await startRealCenter(storage, [
    ['ja', '192.0.2.1', at],
    ['en', '192.0.2.3', at],
    ['cgn', '192.0.2.110', at],
    ['none', '192.0.2.250', [{ time: '2024-05-03T10:00:01.000Z', port: 1 }]],
  ]);
  const out = mkdtempSync(join(tmpdir(), 'cc-isp-demo-'));
  try {
    const warnings: string[] = [];
    // The way `cleancenter demo` runs it: through app.inject, no socket.
    const r = await runIspClientDemo({ app: center.app, token: center.token, outDir: out, start: new Date('2024-07-03T01:00:00Z'), warn: (m) => warnings.push(m) });
    assert.equal(r.pull.identified, 3);
    assert.equal(r.pull.notFound, 1);
    assert.equal(r.answer.applied, 4);
    assert.deepEqual(r.weeks.map((w) => w.sent), [3, 3, 3]);
    assert.equal(r.emlFiles.length, 9);
    const names = r.emlFiles.map((f) => basename(f));
    assert.ok(names.some((n) => /stage1-ja-/.test(n)) && names.some((n) => /stage3-en-/.test(n)), names.join(' '));
    const cgnTicket = (await workflow.incidentByTrackingId(storage, center.ids.cgn))?.ticket ?? 'none';
    const cgnFile = r.emlFiles.find((f) => f.includes(`stage2-en-${cgnTicket}`));
    assert.ok(cgnFile !== undefined, `${cgnTicket} in ${names.join(' ')}`);
    const cgn = await PostalMime.parse(readFileSync(cgnFile));
    assert.match(cgn.subject ?? '', /Please remove the bot/);
    assert.match(cgn.text ?? '', /Dear (Dana Sample|[A-Z][a-z]+ [A-Z][a-z]+),/);
    assert.ok((cgn.text ?? '').includes(center.ids.cgn));
    const figures = await workflow.workflowFigures(storage, {});
    assert.deepEqual(figures.notices.filter((n) => n.channel === 'email').map((n) => [n.stage, n.count]), [[1, 3], [2, 3], [3, 3]]);
    assert.equal((await workflow.incidentByTrackingId(storage, center.ids.none))?.state, 'not-found');
    assert.ok(readFileSync(join(out, 'letters.pdf')).subarray(0, 5).toString() === '%PDF-');
    assert.ok(readFileSync(join(out, 'letters.csv'), 'utf8').startsWith('\uFEFFcustomer_number'));
  } finally {
    await center.close();
    rmSync(out, { recursive: true, force: true });
  }
});
