import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import { ingestFiles } from '../intake/ingest.js';
import type { HoneypotReader, ReadItem } from '../intake/reader.js';
import { coverageReport } from './coverage-report.js';

function reader(items: { sensor: string; ip: string; time: string }[]): HoneypotReader {
  return {
    format: 'test',
    description: 'test',
    async *read(path: string): AsyncIterable<ReadItem> {
      let line = 0;
      for (const i of items) {
        line++;
        yield {
          kind: 'event',
          event: {
            key: `${line}`, format: 'test', sensor: i.sensor, time: i.time, srcIp: i.ip, srcPort: 1, dstIp: null, dstPort: null,
            protocol: 'tcp', stage: 'connect', vulnerability: null, vulnerabilityRaw: null, sample: null, ref: { file: path, line, row: null },
          },
        };
      }
    },
  };
}

dialectTest('coverage counts home /16 blocks per sensor and in total, within the period', async (_t, storage) => {
  // Home blocks: 192.0/16, 198.51/16, 203.0/16 and one more never attacked: 4 in all.
  const home = new Set([(192 << 8) | 0, (198 << 8) | 51, (203 << 8) | 0, (203 << 8) | 1].map((b) => b >>> 0));
  await ingestFiles({
    storage,
    paths: ['x'],
    reader: reader([
      { sensor: 'a', ip: '192.0.2.1', time: '2024-05-01T00:00:00.000Z' },
      { sensor: 'a', ip: '192.0.2.2', time: '2024-05-02T00:00:00.000Z' }, // same block again
      { sensor: 'a', ip: '198.51.100.7', time: '2024-05-03T00:00:00.000Z' },
      { sensor: 'b', ip: '203.0.113.9', time: '2024-05-03T00:00:00.000Z' },
      { sensor: 'b', ip: '2001:db8::1', time: '2024-05-03T00:00:00.000Z' }, // IPv6: counted apart
      { sensor: 'b', ip: '100.64.0.1', time: '2024-05-03T00:00:00.000Z' }, // outside home
      { sensor: 'b', ip: '198.51.100.8', time: '2024-06-01T00:00:00.000Z' }, // outside the period below
    ]),
  });
  const r = await coverageReport(storage, home, { from: '2024-05-01T00:00:00.000Z', to: '2024-06-01T00:00:00.000Z' });
  assert.equal(r.homeBlocks, 4);
  assert.equal(r.total.seen, 3); // 192.0, 198.51, 203.0
  assert.equal(r.total.share, 3 / 4);
  const a = r.perSensor.find((s) => s.sensor === 'a');
  const b = r.perSensor.find((s) => s.sensor === 'b');
  assert.equal(a?.seen, 2);
  assert.equal(a?.share, 0.5);
  assert.equal(b?.seen, 1);
  assert.equal(b?.ipv6, 1);
  assert.equal(b?.outsideHome, 1);
  const all = await coverageReport(storage, home, { from: null, to: null });
  assert.equal(all.perSensor.find((s) => s.sensor === 'b')?.seen, 2);
});
