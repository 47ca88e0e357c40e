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
  sqlite.pragma('cache_size = -65536');
  // Fewer, larger checkpoints: a bulk ingest otherwise spends much of its time copying WAL pages back.
  sqlite.pragma('wal_autocheckpoint = 8000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>);
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    db,
    dialect: 'sqlite',
    location: path,
    // SQLite ≥ 3.32 allows 32,766 bound parameters per statement.
    maxParams: 32_000,
    // Kysely's SQLite dialect holds this one connection for the transaction, so statements run here
    // are part of it. Table and column names come from our own row types, values are bound.
    insertIgnore: async (_tx, table, rows) => {
      const first = rows[0];
      if (first === undefined) return 0;
      const cols = Object.keys(first);
      const key = `${table}:${cols.join(',')}`;
      let st = statements.get(key);
      if (st === undefined) {
        st = sqlite.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
        statements.set(key, st);
      }
      let inserted = 0;
      const values = new Array<unknown>(cols.length);
      for (const row of rows as unknown as readonly Record<string, unknown>[]) {
        for (let i = 0; i < cols.length; i++) values[i] = row[cols[i] as string];
        inserted += st.run(values).changes;
      }
      return inserted;
    },
    close: async () => {
      await db.destroy();
    },
  };
}
