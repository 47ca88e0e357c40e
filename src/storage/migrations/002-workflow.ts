import type { Kysely, Migration } from 'kysely';

/** ISP workflow: incidents, requests, answers, notices, ISPs, tokens, operators, audit log (filled by the workflow work). */
export const workflowMigration: Migration = {
  async up(_db: Kysely<unknown>): Promise<void> {},
  async down(_db: Kysely<unknown>): Promise<void> {},
};
