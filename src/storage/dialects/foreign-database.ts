import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';

/**
 * Opens somebody else's database for reading with queries they wrote — e.g. an ISP's own
 * subscriber/lease database that the ISP client looks subscribers up in. No migrations run; a
 * SQLite file is opened read-only and must exist; a postgres:// URL gets a small pool.
 */
export function openForeignDatabase(location: string): Kysely<unknown> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    const pool = new pg.Pool({ connectionString: location, max: 2 });
    return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  }
  const sqlite = new BetterSqlite3(location, { readonly: true, fileMustExist: true });
  return new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
}
