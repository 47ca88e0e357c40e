import type { RejectedRecord } from '../../domain/event.js';
import type { Storage } from '../schema.js';

/** A reject as stored: the reader's record and when the store first saw it. */
export interface StoredReject extends RejectedRecord {
  readonly firstSeenAt: string;
}

export async function listRejects(
  storage: Storage,
  opts: { format?: string; source?: string; limit?: number; offset?: number } = {},
): Promise<{ total: number; rejects: StoredReject[] }> {
  let q = storage.db.selectFrom('rejects');
  if (opts.format !== undefined) q = q.where('format', '=', opts.format);
  if (opts.source !== undefined) q = q.where('source', 'like', `%${opts.source.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('source')
    .orderBy('line')
    .orderBy('row')
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0)
    .execute();
  return {
    total: Number(total.n),
    rejects: rows.map((r) => ({ format: r.format, source: r.source, line: r.line, row: r.row, reason: r.reason, raw: r.raw, firstSeenAt: r.first_seen_at })),
  };
}
