import { test, type TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Dialect, Storage } from '../storage/schema.js';
import { openSqliteStorage } from '../storage/dialects/sqlite.js';
import { openPostgresStorage } from '../storage/dialects/postgres.js';
import { missingServer } from './require-server.js';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** The PostgreSQL server tests use; CI starts it at this address (user postgres, trust auth). */
export const TEST_PG_ADMIN_URL = process.env.CLEANCENTER_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: Promise<string | null> | undefined;

/** null when PostgreSQL answers, else the reason it does not. */
export function postgresUnavailable(): Promise<string | null> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (e) {
      return `PostgreSQL not reachable at ${TEST_PG_ADMIN_URL}: ${(e as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

export interface TestDatabase {
  /** What to pass to openStorage / --db: a file path or a postgres:// URL. */
  readonly location: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given dialect: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cc-db-'));
    return { location: join(dir, 'test.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * A fresh, empty database for a test of this dialect, or null when the test was skipped because
 * PostgreSQL is missing (with CI=true that fails the test instead).
 */
export async function testDatabaseOrSkip(t: TestContext, dialect: Dialect): Promise<TestDatabase | null> {
  if (dialect === 'postgres') {
    const why = await postgresUnavailable();
    if (why !== null) {
      missingServer(t, why);
      return null;
    }
  }
  return createTestDatabase(dialect);
}

/**
 * Registers one test per dialect. Each run gets a fresh, migrated database that is dropped afterwards.
 * Where PostgreSQL is missing the postgres variant skips locally and fails with CI=true.
 */
export function dialectTest(name: string, fn: (t: TestContext, storage: Storage, location: string) => Promise<void>): void {
  for (const dialect of DIALECTS) {
    test(`${name} [${dialect}]`, async (t) => {
      const tdb = await testDatabaseOrSkip(t, dialect);
      if (tdb === null) return;
      const storage = dialect === 'sqlite' ? await openSqliteStorage(tdb.location) : await openPostgresStorage(tdb.location);
      try {
        await fn(t, storage, tdb.location);
      } finally {
        await storage.close();
        await tdb.drop();
      }
    });
  }
}
