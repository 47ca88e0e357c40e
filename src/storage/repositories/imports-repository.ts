import type { Kysely } from 'kysely';
import type { Database, Storage } from '../schema.js';

export async function startImport(storage: Storage, imp: { importId: string; format: string; paths: readonly string[]; startedAt: string; host: string }): Promise<void> {
  await storage.db
    .insertInto('imports')
    .values({ import_id: imp.importId, format: imp.format, paths: JSON.stringify(imp.paths), started_at: imp.startedAt, finished_at: null, status: 'running', counts: null, host: imp.host, heartbeat_at: imp.startedAt })
    .execute();
}

export async function finishImport(storage: Storage, importId: string, status: 'done' | 'failed', counts: unknown, finishedAt: string): Promise<void> {
  await storage.db.updateTable('imports').set({ status, counts: JSON.stringify(counts), finished_at: finishedAt }).where('import_id', '=', importId).execute();
}

/** How long a running import may stay silent before it counts as killed (ingest beats every batch). */
export const IMPORT_HEARTBEAT_STALE_MS = 10 * 60_000;

export async function touchImport(storage: Storage, importId: string, at: string): Promise<void> {
  await storage.db.updateTable('imports').set({ heartbeat_at: at }).where('import_id', '=', importId).execute();
}

/**
 * Imports still being written: 'running' with a recent heartbeat. A run that was killed stays
 * 'running' for ever, so its heartbeat is what tells it apart; its events are then complete as far
 * as they go (a re-run adds the rest under its own import id).
 */
export async function liveImportIds(db: Kysely<Database>, now: Date = new Date()): Promise<Set<string>> {
  const cutoff = new Date(now.getTime() - IMPORT_HEARTBEAT_STALE_MS).toISOString();
  const rows = await db.selectFrom('imports').select('import_id').where('status', '=', 'running').where('heartbeat_at', '>=', cutoff).execute();
  return new Set(rows.map((r) => r.import_id));
}
