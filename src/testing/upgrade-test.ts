import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Dialect, Storage } from '../storage/schema.js';
import { openStorage } from '../storage/dialects/open.js';
import { migrationsBefore } from '../storage/migrations/index.js';
import { DIALECTS, testDatabaseOrSkip } from './databases.js';

/** Untyped access to a database whose schema is older than the code's types. */
export type RawDb = Kysely<Record<string, Record<string, unknown>>>;

export interface UpgradeSteps<T> {
  /** Fills the database as it was before the migration (its schema then). */
  before(db: RawDb, dialect: Dialect): Promise<T>;
  /** Checks the store after opening it, which applies the migration and any later ones. */
  after(storage: Storage, context: { dialect: Dialect; before: T; connect(): RawDb }): Promise<void>;
}

/**
 * One test per dialect that a migration upgrades an existing database correctly: a fresh database
 * is migrated up to just before `migration`, filled by `before`, then opened as the product opens it.
 */
export function upgradeTest<T>(name: string, migration: string, steps: UpgradeSteps<T>): void {
  for (const dialect of DIALECTS) {
    test(`${name} [${dialect}]`, async (t) => {
      const tdb = await testDatabaseOrSkip(t, dialect);
      if (tdb === null) return;
      const connect = (): RawDb =>
        new Kysely({
          dialect: dialect === 'sqlite' ? new SqliteDialect({ database: new BetterSqlite3(tdb.location) }) : new PostgresDialect({ pool: new pg.Pool({ connectionString: tdb.location, max: 1 }) }),
        });
      try {
        const db = connect();
        let before: T;
        try {
          const r = await new Migrator({ db, provider: { getMigrations: async () => migrationsBefore(migration) } }).migrateToLatest();
          assert.equal(r.error, undefined);
          before = await steps.before(db, dialect);
        } finally {
          await db.destroy();
        }
        const storage = await openStorage(tdb.location);
        try {
          await steps.after(storage, { dialect, before, connect });
        } finally {
          await storage.close();
        }
      } finally {
        await tdb.drop();
      }
    });
  }
}
