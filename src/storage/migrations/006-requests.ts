import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Request items keep what the request asked: the incident's tracking ID, ticket, source, first
 * sighting, attack count, bot names, vulnerabilities and observations as they were when the request
 * was built. A download then reads one table in request order instead of looking every item up in
 * `incidents` and `incident_observations` (two random look-ups per item, most of a 100,000-item
 * download's time), and downloading a request twice gives the same text even when the incident grew.
 *
 * On SQLite the table is rebuilt WITHOUT ROWID, clustered by (request_id, seq): a download is one
 * range scan, and the incident index carries answer_seq, so the answer upload's count reads the
 * index alone. Existing items are filled from the incidents as a download showed them until now
 * (observations cut off at `observed_until`).
 */
export const requestsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (sqlite) {
      await db.schema
        .createTable('request_items_snapshot')
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('observed_until', 'text', (c) => c.notNull())
        .addColumn('answer_seq', 'integer', (c) => c.notNull())
        .$call((t) => SNAPSHOT.reduce((b, [name, type]) => b.addColumn(name, type, (c) => c.notNull()), t))
        .addColumn('observations', 'text')
        .addPrimaryKeyConstraint('request_items_pk', ['request_id', 'seq'])
        .modifyEnd(sql`without rowid`)
        .execute();
      await sql`
        INSERT INTO request_items_snapshot
        SELECT ri.request_id, ri.seq, ri.incident_id, ri.observed_until, ri.answer_seq,
          i.tracking_id, i.ticket, i.src_ip, i.first_seen, i.attack_count, i.bot_names, i.vulnerabilities, o.observations
        FROM request_items ri
        JOIN incidents i ON i.incident_id = ri.incident_id
        LEFT JOIN incident_observations o ON o.incident_id = ri.incident_id`.execute(db);
      await cutGrown(db, 'request_items_snapshot');
      await db.schema.dropTable('request_items').execute();
      await sql`ALTER TABLE request_items_snapshot RENAME TO request_items`.execute(db);
      await db.schema.createIndex('request_items_incident').on('request_items').columns(['incident_id', 'answer_seq']).execute();
      return;
    }
    for (const [name, type] of [...SNAPSHOT, ['observations', 'text'] as const]) await db.schema.alterTable('request_items').addColumn(name, type).execute();
    await sql`
      UPDATE request_items SET
        tracking_id = i.tracking_id, ticket = i.ticket, src_ip = i.src_ip, first_seen = i.first_seen,
        attack_count = i.attack_count, bot_names = i.bot_names, vulnerabilities = i.vulnerabilities, observations = o.observations
      FROM incidents i LEFT JOIN incident_observations o ON o.incident_id = i.incident_id
      WHERE i.incident_id = request_items.incident_id`.execute(db);
    // Items of a missing incident never showed in a download; incidents are not deleted, so there are none.
    await sql`DELETE FROM request_items WHERE tracking_id IS NULL`.execute(db);
    await cutGrown(db, 'request_items');
    for (const [name] of SNAPSHOT) await db.schema.alterTable('request_items').alterColumn(name, (c) => c.setNotNull()).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      await db.schema
        .createTable('request_items_narrow')
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('observed_until', 'text', (c) => c.notNull())
        .addColumn('answer_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('request_items_pk', ['request_id', 'seq'])
        .execute();
      await sql`INSERT INTO request_items_narrow SELECT request_id, seq, incident_id, observed_until, answer_seq FROM request_items`.execute(db);
      await db.schema.dropTable('request_items').execute();
      await sql`ALTER TABLE request_items_narrow RENAME TO request_items`.execute(db);
      await db.schema.createIndex('request_items_incident').on('request_items').columns(['incident_id']).execute();
      return;
    }
    for (const [name] of [...SNAPSHOT, ['observations']]) await db.schema.alterTable('request_items').dropColumn(name as string).execute();
  },
};

/** The snapshot columns: the request's copy of its incidents as they were when it was built. */
const SNAPSHOT: readonly (readonly [string, 'text' | 'integer'])[] = [
  ['tracking_id', 'text'],
  ['ticket', 'text'],
  ['src_ip', 'text'],
  ['first_seen', 'text'],
  ['attack_count', 'integer'],
  ['bot_names', 'text'],
  ['vulnerabilities', 'text'],
];

/**
 * Items whose incident grew after the request: a download showed their observations up to
 * `observed_until` only, and as many attacks as those (the stored count when none are left).
 */
async function cutGrown(db: Kysely<unknown>, table: string): Promise<void> {
  // A thousand items at a time, in key order: a large database need not hold every grown item at once.
  let after = { request_id: '', seq: 0 };
  for (;;) {
    const { rows } = await sql<{ request_id: string; seq: number; observed_until: string; attack_count: number; observations: string }>`
      SELECT ri.request_id, ri.seq, ri.observed_until, ri.attack_count, ri.observations
      FROM ${sql.table(table)} ri JOIN incidents i ON i.incident_id = ri.incident_id
      WHERE i.last_seen > ri.observed_until AND ri.observations IS NOT NULL
        AND (ri.request_id > ${after.request_id} OR (ri.request_id = ${after.request_id} AND ri.seq > ${after.seq}))
      ORDER BY ri.request_id, ri.seq
      LIMIT 1000`.execute(db);
    for (const r of rows) {
      const kept = (JSON.parse(r.observations) as { time: string }[]).filter((o) => o.time <= r.observed_until);
      const count = kept.length > 0 ? kept.length : Number(r.attack_count);
      await sql`UPDATE ${sql.table(table)} SET observations = ${JSON.stringify(kept)}, attack_count = ${count}
        WHERE request_id = ${r.request_id} AND seq = ${r.seq}`.execute(db);
    }
    const last = rows[rows.length - 1];
    if (rows.length < 1000 || last === undefined) return;
    after = { request_id: last.request_id, seq: Number(last.seq) };
  }
}
