import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { upgradeTest, type RawDb } from '../../testing/upgrade-test.js';
import { wdb } from '../repositories/workflow-tables.js';
import { applyAnswerUpload } from '../../workflow/index.js';

const AT = '2024-05-06T00:00:00.000Z';
const trackingId = (n: number): string => `trackingid-${n}-aaaaaaaaaaaaaa`;

function incident(n: number, o: { state: string; key: string | null; identifiedAt: string | null }): Record<string, unknown> {
  return {
    incident_id: `inc_${n}`, tracking_id: trackingId(n), ticket: `CC-AAA${n}-22`, isp_id: 'example-net', event_isp: 'Example Net',
    src_ip: `192.0.2.${n}`, episode: 1, first_seen: `2024-05-0${n}T00:00:00.000Z`, last_seen: `2024-05-0${n}T00:00:00.000Z`, attack_count: 1,
    vulnerabilities: '["MS08-067"]', bot_names: '[]', strongest_stage: 'exploit', state: o.state, subscriber_key: o.key,
    answer_seq: o.key === null ? 0 : 1, first_notice: o.key === null ? null : 1, requested_until: `2024-05-0${n}T00:00:00.000Z`,
    detected_at: AT, requested_at: AT, identified_at: o.identifiedAt, notice_stage: 0, updated_at: AT,
  };
}

/** The index's definition as the database keeps it. */
async function keyIndexSql(db: RawDb, dialect: string): Promise<string> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ def: string }>`SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND name = 'incidents_key'`.execute(db)
      : await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'incidents_key'`.execute(db);
  assert.equal(rows.length, 1);
  return (rows[0] as { def: string }).def;
}

upgradeTest('migration 010: the key index of an existing database holds keyed incidents only, and keys already stored still link', '010-incident-keys', {
  async before(db, dialect) {
    assert.doesNotMatch(await keyIndexSql(db, dialect), /WHERE/i);
    await db.insertInto('isps').values({ id: 'example-net', name: 'Example Net', asns: '[]', prefixes: '["192.0.2.0/24"]', created_at: AT, updated_at: AT }).execute();
    // 1 was identified as key-a before the upgrade; 2 and 3 are requested and unanswered.
    await db.insertInto('incidents').values([
      incident(1, { state: 'identified', key: 'key-a', identifiedAt: AT }),
      incident(2, { state: 'requested', key: null, identifiedAt: null }),
      incident(3, { state: 'requested', key: null, identifiedAt: null }),
    ]).execute();
  },
  async after(storage, { dialect, connect }) {
    const csv = `tracking_id,result,subscriber_key\n${trackingId(2)},identified,key-a\n${trackingId(3)},identified,key-b\n`;
    const out = await applyAnswerUpload(storage, 'example-net', { body: csv, contentType: 'text/csv' }, 'test');
    assert.equal(out.ok, true);
    const rows = await wdb(storage).selectFrom('incidents').select(['incident_id', 'subscriber_key', 'first_notice']).orderBy('incident_id').execute();
    // key-a was met before the upgrade: incident 2 is a repeat user; key-b is new.
    assert.deepEqual(rows, [
      { incident_id: 'inc_1', subscriber_key: 'key-a', first_notice: 1 },
      { incident_id: 'inc_2', subscriber_key: 'key-a', first_notice: 0 },
      { incident_id: 'inc_3', subscriber_key: 'key-b', first_notice: 1 },
    ]);
    const after = connect();
    try {
      assert.match(await keyIndexSql(after, dialect), /WHERE.*subscriber_key.*IS NOT NULL/i);
    } finally {
      await after.destroy();
    }
  },
});
