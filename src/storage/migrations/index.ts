import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { intakeMigration } from './001-intake.js';
import { workflowMigration } from './002-workflow.js';
import { tracebackMigration } from './003-traceback.js';
import { checklistMigration } from './004-checklist.js';
import { requestsMigration } from './006-requests.js';
import { intakeIndexesMigration } from './007-intake-indexes.js';
import { eventsSlimMigration } from './008-events-slim.js';
import { sightingsViewMigration } from './009-sightings-view.js';
import { incidentKeysMigration } from './010-incident-keys.js';

/** Migrations live in code (not files found at run time) so that a bundled or installed copy finds them. */
const MIGRATIONS: Record<string, Migration> = {
  '001-intake': intakeMigration,
  '002-workflow': workflowMigration,
  '003-traceback': tracebackMigration,
  '004-checklist': checklistMigration,
  '006-requests': requestsMigration,
  '007-intake-indexes': intakeIndexesMigration,
  '008-events-slim': eventsSlimMigration,
  '009-sightings-view': sightingsViewMigration,
  '010-incident-keys': incidentKeysMigration,
};

/** The migrations that come before `name` (in name order), for tests that upgrade an older schema. */
export function migrationsBefore(name: string): Record<string, Migration> {
  return Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k < name));
}

const provider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

/**
 * Brings the schema to the latest version. Kysely's migrator takes a lock, so several processes
 * starting at once against one PostgreSQL apply each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'unknown';
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${name} failed: ${why}`);
  }
}
