import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Fewer index writes per ingested event.
 * - Incident building asks which imports brought events of a participating ISP, and reads those
 *   events by import; an index on the import of every event cost each insert one more B-tree,
 *   although only ISP events are ever read that way. The new index holds ISP events alone.
 * - Samples per day or month are counted by a full pass over the sightings (GROUP BY day with a
 *   distinct count), which the day index never served; it only cost every sighting a write.
 */
export const intakeIndexesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('events_isp_import').ifNotExists().on('events').columns(['import_id']).where(sql.ref('isp'), 'is not', null).execute();
    await db.schema.dropIndex('events_import').ifExists().execute();
    await db.schema.dropIndex('sightings_day').ifExists().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('sightings_day').ifNotExists().on('sample_sightings').columns(['day']).execute();
    await db.schema.createIndex('events_import').ifNotExists().on('events').columns(['import_id']).execute();
    await db.schema.dropIndex('events_isp_import').ifExists().execute();
  },
};
