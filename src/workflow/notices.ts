import type { Storage } from '../storage/schema.js';
import { insertMany, wdb } from '../storage/repositories/workflow-tables.js';
import { chunkRows } from '../storage/repositories/batch.js';
import { isTrackingIdShape } from './identifiers.js';
import { UNKNOWN_TRACKING_ID } from './answers.js';

/** A notice the ISP sent: facts only (which incident, stage, channel, when), never its contents or address. */
export interface NoticeInput {
  readonly trackingId: string;
  readonly stage: number;
  readonly channel: 'email' | 'postal';
  readonly sentAt: string;
}

export type RecordNoticesResult =
  | { readonly ok: true; readonly recorded: number }
  | { readonly ok: false; readonly rejected: { index: number; trackingId: string | null; reason: string }[] };

const NOTIFIABLE = ['identified', 'notified', 'visited', 'downloaded', 'completed', 'remediated', 'reinfected'];

/**
 * Records notices as a whole or not at all. The incident moves to "notified" (from identified) and
 * keeps the highest stage sent; the same notice reported twice is stored once.
 */
export async function recordNotices(storage: Storage, ispId: string, notices: readonly NoticeInput[], now = new Date()): Promise<RecordNoticesResult> {
  const rejected: { index: number; trackingId: string | null; reason: string }[] = [];
  const latest = now.getTime() + 86_400_000;
  const clean: { index: number; trackingId: string; stage: number; channel: string; sentAt: string }[] = [];
  notices.forEach((n: unknown, i) => {
    const o = (n !== null && typeof n === 'object' ? n : {}) as Record<string, unknown>;
    const id = typeof o['trackingId'] === 'string' ? o['trackingId'] : null;
    const fail = (reason: string): void => void rejected.push({ index: i, trackingId: id === null ? null : id.slice(0, 64), reason });
    if (id === null || !isTrackingIdShape(id)) return fail('malformed: the tracking ID is missing or not a tracking ID');
    const stage = o['stage'];
    if (typeof stage !== 'number' || !Number.isInteger(stage) || stage < 1 || stage > 99) return fail('malformed: stage must be a whole number from 1 to 99');
    if (o['channel'] !== 'email' && o['channel'] !== 'postal') return fail('malformed: channel must be email or postal');
    const t = typeof o['sentAt'] === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(o['sentAt']) ? Date.parse(o['sentAt']) : NaN;
    if (!Number.isFinite(t)) return fail('malformed: sentAt must be an ISO 8601 UTC time');
    if (t > latest) return fail('malformed: sentAt is in the future');
    clean.push({ index: i, trackingId: id, stage, channel: o['channel'], sentAt: new Date(t).toISOString() });
  });
  const db = wdb(storage);
  return db.transaction().execute(async (tx) => {
    const known = new Map<string, { incidentId: string; state: string; stage: number; notifiedAt: string | null }>();
    for (const part of chunkRows(clean.map((c) => ({ id: c.trackingId })), 5000)) {
      const rows = await tx
        .selectFrom('incidents')
        .select(['incident_id', 'tracking_id', 'state', 'notice_stage', 'notified_at', 'isp_id'])
        .where('tracking_id', 'in', part.map((p) => p.id))
        .execute();
      // Another ISP's incident reads as unknown.
      for (const r of rows) if (r.isp_id === ispId) known.set(r.tracking_id, { incidentId: r.incident_id, state: r.state, stage: Number(r.notice_stage), notifiedAt: r.notified_at });
    }
    for (const c of clean) {
      const k = known.get(c.trackingId);
      if (k === undefined || !NOTIFIABLE.includes(k.state)) rejected.push({ index: c.index, trackingId: c.trackingId, reason: k === undefined ? UNKNOWN_TRACKING_ID : `no notice can be sent before the user is identified (the incident is ${k.state})` });
    }
    if (rejected.length > 0) return { ok: false, rejected: rejected.sort((a, b) => a.index - b.index) };
    const at = now.toISOString();
    const rows = clean.map((c) => ({ incident_id: (known.get(c.trackingId) as { incidentId: string }).incidentId, stage: c.stage, channel: c.channel, sent_at: c.sentAt, recorded_at: at }));
    const recorded = await insertMany(storage, tx, 'notices', rows);
    for (const c of clean) {
      const k = known.get(c.trackingId) as { incidentId: string; state: string; stage: number; notifiedAt: string | null };
      const toNotified = k.state === 'identified' || (k.state === 'notified' && c.stage > k.stage);
      const stage = Math.max(k.stage, c.stage);
      const notifiedAt = k.notifiedAt === null || c.sentAt < k.notifiedAt ? c.sentAt : k.notifiedAt;
      if (stage === k.stage && notifiedAt === k.notifiedAt && !toNotified) continue;
      await tx
        .updateTable('incidents')
        .set({ notice_stage: stage, notified_at: notifiedAt, updated_at: at, ...(toNotified ? { state: 'notified' } : {}) })
        .where('incident_id', '=', k.incidentId)
        .execute();
      if (toNotified) await tx.insertInto('incident_state_log').values({ incident_id: k.incidentId, state: 'notified', at: c.sentAt, detail: `stage ${c.stage} by ${c.channel}` }).execute();
      k.stage = stage;
      k.notifiedAt = notifiedAt;
      if (toNotified) k.state = 'notified';
    }
    return { ok: true, recorded };
  });
}
