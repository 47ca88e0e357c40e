import type { Kysely, Migration } from 'kysely';

/**
 * The public site's five-question checklist: one row per submission, the five answers as
 * 'yes' | 'no' | 'unknown' (never free text), so that the center can count what users report.
 */
export const checklistMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('checklist_answers')
      .addColumn('submission_id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('q1', 'text', (c) => c.notNull())
      .addColumn('q2', 'text', (c) => c.notNull())
      .addColumn('q3', 'text', (c) => c.notNull())
      .addColumn('q4', 'text', (c) => c.notNull())
      .addColumn('q5', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('checklist_answers_incident').on('checklist_answers').columns(['incident_id', 'submitted_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('checklist_answers').ifExists().execute();
  },
};
