import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/** Events, rejects, samples and their sightings and verdicts, and the import log. */
export const intakeMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('imports')
      .ifNotExists()
      .addColumn('import_id', 'text', (c) => c.primaryKey())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('paths', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('counts', 'text')
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text')
      .execute();

    await db.schema
      .createTable('events')
      .ifNotExists()
      .addColumn('event_key', 'text', (c) => c.primaryKey())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('sensor', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('src_ip', 'text', (c) => c.notNull())
      .addColumn('src_port', 'integer')
      .addColumn('src_v4_block', 'integer')
      .addColumn('dst_ip', 'text')
      .addColumn('dst_port', 'integer')
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('vulnerability', 'text')
      .addColumn('vulnerability_raw', 'text')
      .addColumn('sample_md5', 'text')
      .addColumn('sample_sha1', 'text')
      .addColumn('sample_sha256', 'text')
      .addColumn('sample_url', 'text')
      .addColumn('country', 'text')
      .addColumn('asn', 'bigint')
      .addColumn('isp', 'text')
      .addColumn('ptr', 'text')
      .addColumn('source_file', 'text', (c) => c.notNull())
      .addColumn('source_line', 'integer')
      .addColumn('source_row', 'text')
      .addColumn('import_id', 'text', (c) => c.notNull())
      .execute();
    // On SQLite the primary key serves period filters: event_key begins with the time, and binary
    // collation orders it as the time does (see events-repository). A time index there cost every
    // insert one more B-tree. PostgreSQL's text collation need not order '|' so, hence the index.
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
      await db.schema.createIndex('events_time').ifNotExists().on('events').columns(['time']).execute();
    }
    // The workflow reads events by ISP and source over time (migration 002 asks for this index with
    // ifNotExists). Only events of a participating ISP are ever read that way, so the index holds
    // those alone: over every event it is keyed by a random source address, and keeping it up to
    // date cost ingest more than all the other indexes together.
    await db.schema
      .createIndex('events_isp_src_time')
      .ifNotExists()
      .on('events')
      .columns(['isp', 'src_ip', 'time'])
      .where(sql.ref('isp'), 'is not', null)
      .execute();

    await db.schema
      .createTable('rejects')
      .ifNotExists()
      .addColumn('reject_key', 'text', (c) => c.primaryKey())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('line', 'integer')
      .addColumn('row', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('import_id', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('samples')
      .ifNotExists()
      .addColumn('sample_key', 'text', (c) => c.primaryKey())
      .addColumn('sha256', 'text', (c) => c.unique())
      .addColumn('sha1', 'text')
      .addColumn('md5', 'text')
      .addColumn('size', 'bigint')
      .addColumn('binary_present', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('binary_path', 'text')
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('first_verdict', 'text')
      .addColumn('first_verdict_scanner', 'text')
      .addColumn('first_verdict_at', 'text')
      .execute();
    await db.schema.createIndex('samples_md5').ifNotExists().on('samples').columns(['md5']).execute();
    await db.schema.createIndex('samples_sha1').ifNotExists().on('samples').columns(['sha1']).execute();

    await db.schema
      .createTable('sample_sightings')
      .ifNotExists()
      .addColumn('event_key', 'text', (c) => c.primaryKey())
      .addColumn('sample_key', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .execute();
    await db.schema.createIndex('sightings_sample').ifNotExists().on('sample_sightings').columns(['sample_key']).execute();
    await db.schema.createIndex('sightings_day').ifNotExists().on('sample_sightings').columns(['day']).execute();

    await db.schema
      .createTable('sample_verdicts')
      .ifNotExists()
      .addColumn('sample_key', 'text', (c) => c.notNull())
      .addColumn('scanner', 'text', (c) => c.notNull())
      .addColumn('scanned_at', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('signature', 'text')
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('sample_verdicts_pk', ['sample_key', 'scanner', 'scanned_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['sample_verdicts', 'sample_sightings', 'samples', 'rejects', 'events', 'imports']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  },
};
