import type { Storage } from '../schema.js';

export async function startImport(storage: Storage, imp: { importId: string; format: string; paths: readonly string[]; startedAt: string; host: string }): Promise<void> {
  await storage.db
    .insertInto('imports')
    .values({ import_id: imp.importId, format: imp.format, paths: JSON.stringify(imp.paths), started_at: imp.startedAt, finished_at: null, status: 'running', counts: null, host: imp.host })
    .execute();
}

export async function finishImport(storage: Storage, importId: string, status: 'done' | 'failed', counts: unknown, finishedAt: string): Promise<void> {
  await storage.db.updateTable('imports').set({ status, counts: JSON.stringify(counts), finished_at: finishedAt }).where('import_id', '=', importId).execute();
}
