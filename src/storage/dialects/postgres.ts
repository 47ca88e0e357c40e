import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database, Storage } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { chunkRows } from '../repositories/batch.js';

const INT8_OID = 20;

/** Opens a PostgreSQL database from a postgres:// URL and applies migrations. */
export async function openPostgresStorage(url: string, options: { poolSize?: number } = {}): Promise<Storage> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    // bigint columns (ASNs, sizes, count(*)) come back as strings by default; every value we keep fits in a double.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    maxParams: 60_000,
    insertIgnore: async (tx, table, rows) => {
      let inserted = 0;
      for (const part of chunkRows(rows, 60_000)) {
        const r = await tx.insertInto(table).values(part as never).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
      }
      return inserted;
    },
    // PostgreSQL's own checkpointer, autovacuum and shared buffers do this in the server.
    tuneForServer: () => undefined,
    close: async () => {
      await db.destroy();
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
