import type { Storage } from '../schema.js';
import { openPostgresStorage } from './postgres.js';
import { openSqliteStorage } from './sqlite.js';

/** A postgres:// or postgresql:// URL opens PostgreSQL; anything else is a SQLite file path. */
export async function openStorage(location: string): Promise<Storage> {
  if (/^postgres(ql)?:\/\//i.test(location)) return openPostgresStorage(location);
  return openSqliteStorage(location);
}
