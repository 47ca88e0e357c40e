import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { nextDemoNoticeDay, runIspClientDemo } from './demo.js';
import { loadCsvLookup } from './lookup/csv-lookup.js';
import { startFakeCenter } from './testing/fake-center.js';
import { item, request } from './testing/harness.js';
import { parseMail } from './testing/mime.js';
import type { InjectableApp } from './center-client.js';

const TOKEN = 'demo-token-0123456789abcdef';

test('the bundled synthetic subscriber file loads cleanly', () => {
  const l = loadCsvLookup(new URL('../../demo/isp/subscribers.csv', import.meta.url).pathname);
  assert.deepEqual(l.rejects, []);
});

test('next demo notice day is a Wednesday 10:00 in Tokyo', () => {
  assert.equal(nextDemoNoticeDay(new Date('2024-07-01T12:00:00Z')).toISOString(), '2024-07-03T01:00:00.000Z');
  assert.equal(nextDemoNoticeDay(new Date('2024-07-03T01:00:00Z')).toISOString(), '2024-07-03T01:00:00.000Z');
  assert.equal(nextDemoNoticeDay(new Date('2024-07-03T02:00:00Z')).toISOString(), '2024-07-10T01:00:00.000Z');
});

test('runIspClientDemo answers from the bundled file and writes staged .eml files', async () => {
  const center = await startFakeCenter();
  const out = mkdtempSync(join(tmpdir(), 'cc-isp-demo-'));
  try {
    center.addRequest(
      TOKEN,
      request('demo-1', [
        item('DEMOja000000000000000000001', '192.0.2.1', [{ time: '2024-05-03T10:00:01Z', srcPort: 40001 }]),
        item('DEMOen000000000000000000003', '192.0.2.3', [{ time: '2024-05-03T10:00:01Z', srcPort: 40001 }]),
        item('DEMOcgn00000000000000000110', '192.0.2.110', [{ time: '2024-05-03T10:00:01Z', srcPort: 40001 }]),
        item('DEMOnone0000000000000000250', '192.0.2.250', [{ time: '2024-05-03T10:00:01Z', srcPort: 1 }]),
      ]),
    );
    // Through an "in-process app": anything with inject(); here it forwards to the loopback center.
    const app: InjectableApp = {
      inject: async (o) => {
        const res = await fetch(`${center.url}${o.url}`, { method: o.method, headers: o.headers, ...(o.payload !== undefined ? { body: o.payload } : {}) });
        return { statusCode: res.status, body: await res.text() };
      },
    };
    const warnings: string[] = [];
    const r = await runIspClientDemo({ app, token: TOKEN, outDir: out, start: new Date('2024-07-03T01:00:00Z'), warn: (m) => warnings.push(m) });
    assert.equal(r.pull.identified, 3);
    assert.equal(r.pull.notFound, 1);
    assert.equal(r.answer.applied, 4);
    assert.deepEqual(r.weeks.map((w) => w.sent), [3, 3, 3]);
    assert.equal(r.emlFiles.length, 9);
    const names = r.emlFiles.map((f) => basename(f));
    assert.ok(names.some((n) => /stage1-ja-/.test(n)) && names.some((n) => /stage3-en-/.test(n)), names.join(' '));
    const cgn = parseMail(readFileSync(r.emlFiles.find((f) => f.includes('stage2-en-CC-DEMO')) ?? '', 'utf8'));
    assert.match(cgn.headers.get('subject') ?? '', /Please remove the bot/);
    assert.match(cgn.text ?? '', /Dear (Dana Sample|[A-Z][a-z]+ [A-Z][a-z]+),/);
    assert.equal(center.notices.length, 9);
    assert.ok(readFileSync(join(out, 'letters.pdf')).subarray(0, 5).toString() === '%PDF-');
    assert.ok(readFileSync(join(out, 'letters.csv'), 'utf8').startsWith('\uFEFFcustomer_number'));
  } finally {
    await center.close();
    rmSync(out, { recursive: true, force: true });
  }
});
