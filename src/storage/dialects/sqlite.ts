import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database, Storage } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';

/** Opens (creating if needed) the embedded SQLite database and applies migrations. */
export async function openSqliteStorage(path: string): Promise<Storage> {
  const sqlite = new BetterSqlite3(path);
  // WAL lets `serve` read while `ingest` writes; NORMAL sync is safe with WAL and much faster.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>);
  return {
    db,
    dialect: 'sqlite',
    location: path,
    // SQLite ≥ 3.32 allows 32,766 bound parameters per statement.
    maxParams: 32_000,
    close: async () => {
      await db.destroy();
    },
  };
}
