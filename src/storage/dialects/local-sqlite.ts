import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';

/**
 * Opens (creating if needed) a small SQLite file owned by one tool — such as the ISP client's own
 * database, which never shares a schema with the center — and applies that tool's migrations.
 * Callers never import the driver themselves: only storage/dialects may.
 */
export async function openLocalSqlite<DB>(path: string, migrations: Record<string, Migration>): Promise<Kysely<DB>> {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    await db.destroy();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${path}: migration ${failed?.migrationName ?? 'unknown'} failed: ${why}`);
  }
  return db;
}
