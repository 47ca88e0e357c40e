import type { Kysely, Migration } from 'kysely';

/** traceback study: names, resolutions, classifications, probes, snapshots (filled by the traceback work). */
export const tracebackMigration: Migration = {
  async up(_db: Kysely<unknown>): Promise<void> {},
  async down(_db: Kysely<unknown>): Promise<void> {},
};
