import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { dialectTest } from '../../testing/databases.js';
import type { EventsTable, RejectsTable } from '../schema.js';
import { eventKey } from '../../intake/ingest.js';
import { eventTotals, sourcesBySensor } from './events-repository.js';

function row(time: string, n: number): EventsTable {
  return {
    event_key: eventKey('test', `k${n}`, time),
    format: 'test',
    sensor: 'sensor-a',
    time,
    src_ip: `192.0.2.${n}`,
    src_port: null,
    dst_ip: null,
    dst_port: null,
    protocol: 'tcp',
    stage: 'connect',
    vulnerability: null,
    vulnerability_raw: null,
    sample_md5: null,
    sample_sha1: null,
    sample_sha256: null,
    sample_url: null,
    country: null,
    asn: null,
    isp: null,
    ptr: null,
    source_file: 'f.jsonl',
    source_line: n,
    source_row: null,
    import_id: 'imp',
  };
}

const TIMES = [
  '2024-04-30T23:59:59.999Z',
  '2024-05-01T00:00:00.000Z',
  '2024-05-01T12:00:00.000Z',
  '2024-05-31T23:59:59.999Z',
  '2024-06-01T00:00:00.000Z',
];

// The SQLite version narrows the scan by event key; the bounds must keep exactly the events whose
// time is in the period, whatever form the bounds take.
dialectTest('period filters keep exactly the events in [from, to)', async (_t, storage) => {
  await storage.db.transaction().execute(async (tx) => {
    await storage.insertIgnore(tx, 'events', TIMES.map((t, i) => row(t, i + 1)));
  });
  const count = async (from: string | null, to: string | null): Promise<number> => (await eventTotals(storage, { from, to })).events;

  assert.equal(await count(null, null), 5);
  // The exact bounds: from is inclusive, to exclusive.
  assert.equal(await count('2024-05-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z'), 3);
  // Day-only bounds (no "Z"), as a user types them.
  assert.equal(await count('2024-05-01', '2024-06-01'), 3);
  assert.equal(await count('2024-05-01', null), 4);
  assert.equal(await count(null, '2024-05-01'), 1);
  // A bound one millisecond past an event.
  assert.equal(await count('2024-05-01T12:00:00.001Z', '2024-05-31T23:59:59.999Z'), 0);
  assert.equal(await count('2024-05-01T12:00:00.000Z', '2024-06-01T00:00:00.001Z'), 3);
  // A "to" with text after a stored time: every time before it counts, though its key sorts after.
  assert.equal(await count(null, '2024-06-01T00:00:00.000Z~'), 5);
  assert.equal(await count(null, '2024-06-01T00:00:00.000Z '), 5);

  const sources = await sourcesBySensor(storage, { from: '2024-05-01', to: '2024-06-01' });
  assert.deepEqual(sources.map((s) => s.srcIp).sort(), ['192.0.2.2', '192.0.2.3', '192.0.2.4']);

  if (storage.dialect === 'sqlite') {
    // The primary key serves the period, with no time index to keep up to date on every insert.
    const plan = await sql<{ detail: string }>`explain query plan select count(*) from events where time >= ${'2024-05-01'} and event_key >= ${'2024-05-01'} and time < ${'2024-06-01'} and event_key < ${'2024-06-01'}`.execute(storage.db);
    assert.match(plan.rows.map((r) => r.detail).join('\n'), /USING INDEX sqlite_autoindex_events_1 \(event_key>\? AND event_key<\?\)/);
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'events'`.execute(storage.db);
    assert.ok(!indexes.rows.some((r) => r.name === 'events_time'));
  }
});

dialectTest('bulk insert of narrow rows counts only new rows, duplicates within and across calls included', async (_t, storage) => {
  const reject = (n: number): RejectsTable => ({
    reject_key: `reject-${String(n).padStart(6, '0')}`,
    format: 'cc-jsonl',
    source: 'events.jsonl',
    line: n + 1,
    row: null,
    reason: `line ${n + 1}: bad src_ip`,
    raw: n % 3 === 0 ? '' : `{"src_ip":"192.0.2.${n % 200}x"}`,
    first_seen_at: '2024-05-01T00:00:00.000Z',
    import_id: 'imp-1',
  });
  // 101 rows (several full statements and a tail), five of them repeated inside the call.
  const first = [...Array.from({ length: 96 }, (_, n) => reject(n)), ...[1, 2, 40, 41, 95].map(reject)];
  const n1 = await storage.db.transaction().execute((tx) => storage.insertIgnore(tx, 'rejects', first));
  assert.equal(n1, 96);
  // Half old, half new.
  const second = Array.from({ length: 90 }, (_, n) => reject(n + 50));
  const n2 = await storage.db.transaction().execute((tx) => storage.insertIgnore(tx, 'rejects', second));
  assert.equal(n2, 44);
  const stored = await storage.db.selectFrom('rejects').select(['reject_key', 'line', 'raw']).orderBy('reject_key').execute();
  assert.equal(stored.length, 140);
  assert.deepEqual(stored[3], { reject_key: 'reject-000003', line: 4, raw: '' });
  assert.deepEqual(stored[139], { reject_key: 'reject-000139', line: 140, raw: '{"src_ip":"192.0.2.139x"}' });
});
