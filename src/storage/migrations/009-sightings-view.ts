import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Sample sightings become a view over the events instead of a table of their own.
 *
 * A sighting is an event that names a sample hash; the event row already holds the hashes, the
 * time and the URL. The table repeated them with the sample's key, and every such event cost one
 * more row and two more index entries, one of them (by sample key) written at random places, which
 * was a tenth of a bulk ingest's time. The view finds the key the way intake did: the sample whose
 * SHA-256 is the event's, else one whose MD5 alias is, else one whose SHA-1 alias is. Because it
 * resolves when read, a sample merged later (an MD5-only record whose binary arrives) takes its
 * sightings along without rewriting them. The fallback names the key a first sighting gets, so a
 * sighting never lacks a key.
 */
export const sightingsViewMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sample_sightings').ifExists().execute();
    await db.schema.createView('sample_sightings').as(SIGHTINGS).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createTable('sample_sightings_table').ifNotExists()
      .addColumn('event_key', 'text', (c) => c.primaryKey())
      .addColumn('sample_key', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .execute();
    await sql`insert into sample_sightings_table (event_key, sample_key, time, day, url) select event_key, sample_key, time, day, url from sample_sightings`.execute(db);
    await db.schema.dropView('sample_sightings').execute();
    await db.schema.alterTable('sample_sightings_table').renameTo('sample_sightings').execute();
    await db.schema.createIndex('sightings_sample').ifNotExists().on('sample_sightings').columns(['sample_key']).execute();
  },
};

// Frozen here (not shared with the repositories): a migration must mean the same thing for ever.
// `x <> ''` is false for NULL and for an empty text, so either counts as "no hash".
const SIGHTINGS = sql`
  select e.event_key as event_key,
    coalesce(
      (select s.sample_key from samples s where s.sha256 = e.sample_sha256),
      (select min(s.sample_key) from samples s where s.md5 = e.sample_md5),
      (select min(s.sample_key) from samples s where s.sha1 = e.sample_sha1),
      case when e.sample_sha256 <> '' then e.sample_sha256 when e.sample_md5 <> '' then 'md5:' || e.sample_md5 else 'sha1:' || e.sample_sha1 end
    ) as sample_key,
    e.time as time,
    substr(e.time, 1, 10) as day,
    e.sample_url as url
  from events e
  where e.sample_sha256 <> '' or e.sample_md5 <> '' or e.sample_sha1 <> ''`;
