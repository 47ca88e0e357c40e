import type { Kysely, Migration } from 'kysely';

/**
 * Two event columns nothing read: the day (the first ten characters of the time, which every
 * period filter uses instead) and the IPv4 /16 block (coverage derives blocks from the address).
 * Each cost every ingested event a bound value and bytes in the table, its pages and the WAL.
 */
export const eventsSlimMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').dropColumn('day').execute();
    await db.schema.alterTable('events').dropColumn('src_v4_block').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').addColumn('day', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('events').addColumn('src_v4_block', 'integer').execute();
  },
};
