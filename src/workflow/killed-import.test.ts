import assert from 'node:assert/strict';
import { dialectTest } from '../testing/databases.js';
import { ingestFiles } from '../intake/ingest.js';
import type { HoneypotReader, ReadItem } from '../intake/reader.js';
import { buildIncidents, createIsp } from './index.js';

const reader: HoneypotReader = {
  format: 'test',
  description: 'test',
  async *read(path: string): AsyncIterable<ReadItem> {
    for (let i = 1; i <= 3; i++) {
      yield {
        kind: 'event',
        event: {
          key: `${path}:${i}`, format: 'test', sensor: 's', time: `2024-05-0${i}T00:00:00.000Z`, srcIp: `192.0.2.${path === "live" ? 10 + i : i}`, srcPort: 40000 + i,
          dstIp: '203.0.113.1', dstPort: 445, protocol: 'smb', stage: 'exploit', vulnerability: 'MS08-067', vulnerabilityRaw: null, sample: null,
          ref: { file: path, line: i, row: null },
        },
      };
    }
  },
};
const enricher = { enrich: () => ({ country: 'ZZ', asn: 64500, isp: 'Example Net' }) };

dialectTest('a killed ingest (running, heartbeat stopped) still feeds incidents; a live one waits', async (_t, storage) => {
  await createIsp(storage, { name: 'Example Net', asns: [64500] }, 'test');
  const live = await ingestFiles({ storage, reader, paths: ['live'], enricher });
  const killed = await ingestFiles({ storage, reader, paths: ['killed'], enricher });
  // As a SIGKILL leaves them: still 'running'; one beat a moment ago, the other an hour ago.
  await storage.db.updateTable('imports').set({ status: 'running', finished_at: null, heartbeat_at: new Date().toISOString() }).where('import_id', '=', live.importId).execute();
  await storage.db.updateTable('imports').set({ status: 'running', finished_at: null, heartbeat_at: new Date(Date.now() - 3600_000).toISOString() }).where('import_id', '=', killed.importId).execute();
  const r = await buildIncidents(storage, { now: new Date('2024-05-10T00:00:00Z') });
  assert.equal(r.created, 3, 'the killed import\'s three sources');
  await storage.db.updateTable('imports').set({ status: 'done' }).where('import_id', '=', live.importId).execute();
  const again = await buildIncidents(storage, { now: new Date('2024-05-10T00:00:00Z') });
  assert.equal(again.created, 3, 'the live import\'s sources once it is done');
});
