import type { Answer, AnswerResult } from './center-client.js';
import type { IspClientContext } from './context.js';

export interface AnswerSummary {
  readonly uploaded: number;
  readonly applied: number;
  readonly rejected: readonly { readonly trackingId: string; readonly reason: string }[];
  /** Incidents whose lookup failed; they wait for the next pull. */
  readonly waiting: number;
}

const BATCH = 5000;

/**
 * Uploads the answers not yet accepted: tracking ID, result and the opaque key — nothing else.
 * The center applies a batch whole or not at all, so rows it refuses are marked locally and the
 * rest of the batch is sent again.
 */
export async function uploadAnswers(ctx: IspClientContext): Promise<AnswerSummary> {
  const rows = await ctx.db
    .selectFrom('items')
    .select(['tracking_id', 'result', 'subscriber_key'])
    .where('answered_at', 'is', null)
    .where('answer_rejected', 'is', null)
    .where('result', '!=', 'error')
    .orderBy('tracking_id')
    .execute();
  const waiting = await ctx.db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where('result', '=', 'error').executeTakeFirstOrThrow();
  let applied = 0;
  const rejected: { trackingId: string; reason: string }[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    let batch: Answer[] = rows.slice(i, i + BATCH).map((r) =>
      r.result === 'identified' && r.subscriber_key !== null
        ? { trackingId: r.tracking_id, result: 'identified', subscriberKey: r.subscriber_key }
        : { trackingId: r.tracking_id, result: r.result as AnswerResult },
    );
    // Two tries: the second without the rows the first named.
    for (let attempt = 0; attempt < 2 && batch.length > 0; attempt++) {
      const up = await ctx.center.uploadAnswers(batch);
      const now = ctx.now().toISOString();
      if (up.ok) {
        applied += up.applied;
        await markAnswered(ctx, batch.map((a) => a.trackingId), now);
        break;
      }
      const refused = new Map<string, string>();
      for (const r of up.rejected) refused.set(String(r.trackingId), String(r.reason));
      for (const [trackingId, reason] of refused) {
        rejected.push({ trackingId, reason });
        await ctx.db.updateTable('items').set({ answer_rejected: reason.slice(0, 500) }).where('tracking_id', '=', trackingId).execute();
      }
      const before = batch.length;
      batch = batch.filter((a) => !refused.has(a.trackingId));
      if (batch.length === before) {
        ctx.warn(`the center refused an upload of ${before} answers without naming rows; they stay pending`);
        break;
      }
    }
  }
  return { uploaded: rows.length, applied, rejected, waiting: Number(waiting.n) };
}

async function markAnswered(ctx: IspClientContext, ids: readonly string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await ctx.db.updateTable('items').set({ answered_at: at }).where('tracking_id', 'in', ids.slice(i, i + 500)).execute();
  }
}
