import assert from 'node:assert/strict';
import { dialectTest } from '../../testing/databases.js';
import type { HoneypotEvent } from '../../domain/event.js';
import { ingestFiles } from '../../intake/ingest.js';
import type { HoneypotReader, ReadItem } from '../../intake/reader.js';
import { listSamples, registerBinary, sampleCounts } from './samples-repository.js';
import { SampleKeyCache, writeIngestBatch } from './intake-repository.js';
import type { Storage } from '../schema.js';

const MD5 = 'a'.repeat(32);
const SHA1 = 'c'.repeat(40);
const SHA256 = 'b'.repeat(64);
const OTHER_MD5 = 'd'.repeat(32);

function download(line: number, day: number, sample: HoneypotEvent['sample']): ReadItem {
  return {
    kind: 'event',
    event: {
      key: `k${line}`,
      format: 'test',
      sensor: 'sensor-a',
      time: `2024-05-${String(day).padStart(2, '0')}T08:00:00.000Z`,
      srcIp: `192.0.2.${line}`,
      srcPort: 40000 + line,
      dstIp: '198.51.100.1',
      dstPort: 445,
      protocol: 'tcp',
      stage: 'download',
      vulnerability: null,
      vulnerabilityRaw: null,
      sample,
      ref: { file: 'dl.log', line, row: null },
    },
  };
}

const reader: HoneypotReader = {
  format: 'test',
  description: 'in-memory downloads',
  async *read() {
    // One binary named three ways (MD5 only, SHA-1 only, SHA-256 only), and a second binary.
    yield download(1, 10, { md5: MD5, sha1: null, sha256: null, url: 'http://bad.example/a.exe' });
    yield download(2, 11, { md5: MD5, sha1: null, sha256: null, url: null });
    yield download(3, 11, { md5: null, sha1: SHA1, sha256: null, url: null });
    yield download(4, 12, { md5: null, sha1: null, sha256: SHA256, url: null });
    yield download(5, 12, { md5: OTHER_MD5, sha1: null, sha256: null, url: null });
    // Hashes left empty count as absent: no sighting.
    yield download(6, 12, { md5: '', sha1: '', sha256: '', url: null });
  },
};

dialectTest('sightings follow a sample when its binary arrives and merges its hash-only records', async (_t, storage) => {
  const s = await ingestFiles({ storage, reader, paths: ['dl.log'] });
  assert.equal(s.eventsStored, 6);
  assert.equal(s.samplesNew, 4);
  const before = await listSamples(storage);
  assert.deepEqual(
    before.map((x) => [x.sampleKey, x.sightings, x.firstSeen]).sort(),
    [
      [SHA256, 1, '2024-05-12T08:00:00.000Z'],
      [`md5:${MD5}`, 2, '2024-05-10T08:00:00.000Z'],
      [`md5:${OTHER_MD5}`, 1, '2024-05-12T08:00:00.000Z'],
      [`sha1:${SHA1}`, 1, '2024-05-11T08:00:00.000Z'],
    ],
  );
  assert.deepEqual(await sampleCounts(storage, 'month'), [{ period: '2024-05', collected: 5, distinct: 4 }]);

  // The binary: its three hashes tie the MD5-only and SHA-1-only records to the SHA-256 one.
  const outcome = await registerBinary(storage, { md5: MD5, sha1: SHA1, sha256: SHA256, size: 10, path: '/tmp/x', seenAt: '2024-05-20T00:00:00.000Z' });
  assert.equal(outcome, 'merged');
  const after = await listSamples(storage);
  assert.deepEqual(
    after.map((x) => [x.sampleKey, x.sightings, x.firstSeen, x.lastSeen, x.binaryPresent]).sort(),
    [
      [SHA256, 4, '2024-05-10T08:00:00.000Z', '2024-05-12T08:00:00.000Z', true],
      [`md5:${OTHER_MD5}`, 1, '2024-05-12T08:00:00.000Z', '2024-05-12T08:00:00.000Z', false],
    ],
  );
  assert.deepEqual(await sampleCounts(storage, 'day'), [
    { period: '2024-05-10', collected: 1, distinct: 1 },
    { period: '2024-05-11', collected: 2, distinct: 1 },
    { period: '2024-05-12', collected: 2, distinct: 2 },
  ]);
  const view = await storage.db.selectFrom('sample_sightings').select(['event_key', 'sample_key', 'day', 'url']).orderBy('time').orderBy('sample_key').execute();
  assert.equal(view.length, 5);
  assert.deepEqual(view[0]?.sample_key, SHA256);
  assert.deepEqual(view[0]?.url, 'http://bad.example/a.exe');

  // A re-run stores nothing and finds every sample known.
  const again = await ingestFiles({ storage, reader, paths: ['dl.log'] });
  assert.equal(again.eventsStored, 0);
  assert.equal(again.samplesNew, 0);
  assert.equal(again.samplesKnown, 2);
  assert.equal((await listSamples(storage)).length, 2);
});

dialectTest('a batch rolled back teaches the run nothing: its retry still creates the sample', async (_t, storage) => {
  const cache = new SampleKeyCache();
  const batch = { events: [], rejects: [], sightings: [{ md5: OTHER_MD5, sha1: null, sha256: null, time: '2024-05-12T08:00:00.000Z' }] };
  // A commit that fails (a serialization failure, a busy database) after the sample row went in:
  // the transaction is rolled back.
  const failing = {
    ...storage,
    db: {
      transaction: () => ({
        execute: (work: (tx: unknown) => Promise<unknown>) =>
          storage.db.transaction().execute(async (tx) => {
            await work(tx);
            throw new Error('commit failed');
          }),
      }),
    },
  } as unknown as Storage;
  await assert.rejects(writeIngestBatch(failing, batch, cache), /commit failed/);
  assert.equal((await listSamples(storage)).length, 0);
  const r = await writeIngestBatch(storage, batch, cache);
  assert.deepEqual(r.samplesCreated, [`md5:${OTHER_MD5}`]);
  assert.deepEqual((await listSamples(storage)).map((s) => s.sampleKey), [`md5:${OTHER_MD5}`]);
  // The next batch finds it through the run's cache, with no look-up, as known.
  const again = await writeIngestBatch(storage, batch, cache);
  assert.deepEqual([again.samplesCreated, again.samplesExisting], [[], [`md5:${OTHER_MD5}`]]);
});
