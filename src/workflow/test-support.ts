import type { Storage, EventsTable } from '../storage/schema.js';

let seq = 0;

/** A synthetic enriched event on documentation addresses; tests override what they care about. */
export function event(time: string, srcIp: string, isp: string | null, over: Partial<EventsTable> = {}): EventsTable {
  seq++;
  return {
    event_key: `test-${seq}-${time}-${srcIp}`,
    format: 'test',
    sensor: 'hp1',
    time,
    src_ip: srcIp,
    src_port: 40000 + (seq % 20000),
    dst_ip: '203.0.113.1',
    dst_port: 445,
    protocol: 'smb',
    stage: 'exploit',
    vulnerability: 'MS08-067',
    vulnerability_raw: null,
    sample_md5: null,
    sample_sha1: null,
    sample_sha256: null,
    sample_url: null,
    country: 'ZZ',
    asn: 64500,
    isp,
    ptr: null,
    source_file: 'test.log',
    source_line: seq,
    source_row: null,
    import_id: over.import_id ?? 'imp-1',
    ...over,
  };
}

export async function insertEvents(storage: Storage, rows: readonly EventsTable[]): Promise<void> {
  await storage.db.insertInto('events').values(rows as EventsTable[]).execute();
}
