import assert from 'node:assert/strict';
import { upgradeTest } from '../../testing/upgrade-test.js';
import { listSamples, sampleCounts } from '../repositories/samples-repository.js';

const MD5 = 'a'.repeat(32);
const SHA256 = 'b'.repeat(64);

function event(n: number, day: number, h: { md5?: string; sha256?: string; url?: string }): Record<string, unknown> {
  const time = `2024-05-${day}T00:00:0${n}.000Z`;
  return {
    event_key: `${time}|key${n}`, format: 'test', sensor: 's', time, src_ip: `192.0.2.${n}`, src_port: 40000 + n, dst_ip: '198.51.100.1', dst_port: 445,
    protocol: 'tcp', stage: h.md5 || h.sha256 ? 'download' : 'connect', vulnerability: null, vulnerability_raw: null,
    sample_md5: h.md5 ?? null, sample_sha1: null, sample_sha256: h.sha256 ?? null, sample_url: h.url ?? null,
    country: null, asn: null, isp: null, ptr: null, source_file: 'x.log', source_line: n, source_row: null, import_id: 'imp-1',
  };
}

upgradeTest('migration 009: the sightings stored before it read the same through the view', '009-sightings-view', {
  async before(db) {
    // An MD5-only sample merged into a SHA-256 one (which now carries the MD5 as its alias), as
    // registerBinary leaves them, with the sightings it had moved; and an event with no sample.
    await db.insertInto('events').values([event(1, 10, { md5: MD5, url: 'http://bad.example/a' }), event(2, 11, { sha256: SHA256 }), event(3, 11, {}), event(4, 12, { md5: MD5, sha256: SHA256 })]).execute();
    await db.insertInto('samples').values({ sample_key: SHA256, sha256: SHA256, sha1: null, md5: MD5, size: 3, binary_present: 1, binary_path: '/x', first_seen: '2024-05-10T00:00:01.000Z', last_seen: '2024-05-12T00:00:04.000Z', first_verdict: null, first_verdict_scanner: null, first_verdict_at: null }).execute();
    const sighting = (n: number, day: number, url: string | null) => ({ event_key: `2024-05-${day}T00:00:0${n}.000Z|key${n}`, sample_key: SHA256, time: `2024-05-${day}T00:00:0${n}.000Z`, day: `2024-05-${day}`, url });
    await db.insertInto('sample_sightings').values([sighting(1, 10, 'http://bad.example/a'), sighting(2, 11, null), sighting(4, 12, null)]).execute();
    return db.selectFrom('sample_sightings').selectAll().orderBy('event_key').execute();
  },
  async after(storage, { before: stored }) {
    const view = await storage.db.selectFrom('sample_sightings').selectAll().orderBy('event_key').execute();
    assert.deepEqual(view, stored);
    const samples = await listSamples(storage);
    assert.deepEqual(samples.map((s) => [s.sampleKey, s.sightings]), [[SHA256, 3]]);
    assert.deepEqual(await sampleCounts(storage, 'month'), [{ period: '2024-05', collected: 3, distinct: 1 }]);
  },
});
