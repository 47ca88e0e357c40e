import type { Storage } from '../storage/schema.js';
import { wdb, type WorkflowTx } from '../storage/repositories/workflow-tables.js';

/** One change a person made: who, what, to what, with details (never secrets). */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: unknown;
}

/** Writes an audit row, inside the caller's transaction when given so that it commits with the change. */
export async function audit(storage: Storage, actor: string, action: string, target: string, details: unknown = null, tx?: WorkflowTx): Promise<void> {
  await (tx ?? wdb(storage))
    .insertInto('audit_log')
    .values({ at: new Date().toISOString(), actor, action, target, details: details === null ? null : JSON.stringify(details) })
    .execute();
}

/** Newest first. */
export async function listAudit(storage: Storage, options: { limit?: number; target?: string } = {}): Promise<AuditEntry[]> {
  let q = wdb(storage).selectFrom('audit_log').selectAll().orderBy('at', 'desc').limit(Math.max(1, Math.min(options.limit ?? 100, 10_000)));
  if (options.target !== undefined) q = q.where('target', '=', options.target);
  const rows = await q.execute();
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, target: r.target, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
}
