import assert from 'node:assert/strict';
import type { HoneypotEvent, Stage } from '../domain/event.js';
import { dialectTest } from '../testing/databases.js';
import { listRejects } from '../storage/repositories/rejects-repository.js';
import { listSamples, sampleCounts } from '../storage/repositories/samples-repository.js';
import { eventTotals } from '../storage/repositories/events-repository.js';
import { ingestFiles } from './ingest.js';
import type { HoneypotReader, ReadItem } from './reader.js';

/** A reader over an in-memory table: path -> items, so the test controls every record. */
function tableReader(files: Record<string, (path: string) => ReadItem[]>): HoneypotReader {
  return {
    format: 'test',
    description: 'in-memory test reader',
    async *read(path: string) {
      const make = files[path];
      if (make === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      yield* make(path);
    },
  };
}

function ev(path: string, line: number, over: Partial<HoneypotEvent> = {}): ReadItem {
  const stage: Stage = over.stage ?? 'connect';
  return {
    kind: 'event',
    event: {
      key: `k${line}`,
      format: 'test',
      sensor: 'sensor-a',
      time: `2024-05-${String(10 + (line % 3)).padStart(2, '0')}T00:00:0${line % 10}.000Z`,
      srcIp: `192.0.2.${line}`,
      srcPort: 40000 + line,
      dstIp: '198.51.100.1',
      dstPort: 445,
      protocol: 'tcp',
      stage,
      vulnerability: null,
      vulnerabilityRaw: null,
      sample: null,
      ref: { file: path, line, row: null },
      ...over,
    },
  };
}

const FILES: Record<string, (p: string) => ReadItem[]> = {
  'a.log': (p) => [
    ev(p, 1),
    ev(p, 2, { stage: 'download', sample: { md5: 'a'.repeat(32), sha1: null, sha256: null, url: 'http://bad.example/x.exe' } }),
    ev(p, 3, { stage: 'download', sample: { md5: null, sha1: null, sha256: 'b'.repeat(64), url: null } }),
    { kind: 'reject', reject: { format: 'test', source: p, line: 4, row: null, reason: 'invalid JSON', raw: '{"broken\u0000\ud800' } },
    { kind: 'ignored', ignored: { kind: 'test.kex' } },
    ev(p, 1), // the same record twice in one file: a duplicate
  ],
  'b.log': (p) => [ev(p, 5), ev(p, 6, { stage: 'download', sample: { md5: 'a'.repeat(32), sha1: null, sha256: null, url: null } })],
};

dialectTest('ingest counts add up and a re-run stores nothing new', async (_t, storage) => {
  const reader = tableReader(FILES);
  const enricher = { enrich: (ip: string) => ({ country: ip.startsWith('192.0.2.') ? 'ZZ' : null, asn: 64500, isp: 'Example Net' }) };
  const first = await ingestFiles({ storage, reader, paths: ['a.log', 'b.log', 'missing.log'], enricher, batchSize: 2 });
  assert.equal(first.recordsRead, 6 + 2 + 1);
  assert.equal(first.eventsStored, 5);
  assert.equal(first.duplicates, 1);
  assert.equal(first.rejected, 2); // the bad line and the missing file
  assert.equal(first.ignored, 1);
  assert.equal(first.recordsRead, first.eventsStored + first.duplicates + first.rejected + first.ignored);
  assert.equal(first.samplesNew, 2);
  assert.equal(first.samplesKnown, 0);
  assert.match(first.rejects.find((r) => r.source === 'missing.log')?.reason ?? '', /cannot read file: ENOENT/);

  const second = await ingestFiles({ storage, reader, paths: ['a.log', 'b.log', 'missing.log'], enricher });
  assert.equal(second.eventsStored, 0);
  assert.equal(second.duplicates, 6);
  assert.equal(second.rejectsNew, 0);
  assert.equal(second.samplesNew, 0);
  assert.equal(second.samplesKnown, 2);

  const totals = await eventTotals(storage);
  assert.equal(totals.events, 5);
  assert.equal(totals.byStage.download, 3);
  const rejects = await listRejects(storage);
  assert.equal(rejects.total, 2);
  const bad = rejects.rejects.find((r) => r.line === 4);
  assert.ok(bad && !bad.raw.includes('\u0000'), 'NUL replaced so PostgreSQL can store it');

  const samples = await listSamples(storage);
  assert.equal(samples.length, 2);
  const md5Sample = samples.find((s) => s.md5 === 'a'.repeat(32));
  assert.equal(md5Sample?.sightings, 2);
  assert.equal(md5Sample?.binaryPresent, false);
  const daily = await sampleCounts(storage, 'day');
  // Sightings: line 2 on the 12th (md5 a…), line 3 on the 10th (sha256 b…), b.log line 6 on the 10th (md5 a… again).
  assert.deepEqual(daily, [
    { period: '2024-05-10', collected: 2, distinct: 2 },
    { period: '2024-05-12', collected: 1, distinct: 1 },
  ]);
  const monthly = await sampleCounts(storage, 'month');
  assert.deepEqual(monthly, [{ period: '2024-05', collected: 3, distinct: 2 }]);
});

dialectTest('two ingests into one database at once store each record once', async (_t, storage) => {
  const reader = tableReader(FILES);
  const [a, b] = await Promise.all([
    ingestFiles({ storage, reader, paths: ['a.log', 'b.log'], batchSize: 1 }),
    ingestFiles({ storage, reader, paths: ['b.log', 'a.log'], batchSize: 1 }),
  ]);
  assert.equal(a.eventsStored + b.eventsStored, 5);
  assert.equal((await eventTotals(storage)).events, 5);
  assert.equal((await listSamples(storage)).length, 2);
});
