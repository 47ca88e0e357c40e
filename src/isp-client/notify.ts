import { randomUUID } from 'node:crypto';
import type { NoticeReport } from './center-client.js';
import type { Language } from './config.js';
import type { IspClientContext } from './context.js';
import { noticeDocument } from './notices/templates.js';
import type { NoticeContent, NoticeIncident } from './notices/content.js';
import { planNotices } from './notices/plan.js';
import { renderHtml, renderText } from './notices/render.js';
import { isNoticeTime } from './notices/schedule.js';
import { loadSubscriberStates, refreshActivity, type IncidentView } from './subscriber-state.js';
import type { SubscribersTable } from './local-schema.js';
import { UserError } from '../domain/errors.js';

export interface NotifyOptions {
  /** Send now, whatever the weekday. */
  readonly now?: boolean;
  /** Plan and render, send nothing, record nothing. */
  readonly dryRun?: boolean;
}

export interface NotifySummary {
  /** false when it is not the notice day/hour and --now was not given. */
  readonly due: boolean;
  readonly planned: number;
  readonly sent: number;
  readonly failed: readonly { readonly subscriberKey: string; readonly reason: string }[];
  readonly byStage: Readonly<Record<string, number>>;
  readonly skipped: Readonly<Record<string, number>>;
  /** Notice facts reported to the center (this run and earlier unreported ones). */
  readonly reported: number;
  readonly activityRows: number;
  /** Subjects and recipients' keys of a dry run (no e-mail addresses). */
  readonly preview: readonly { readonly subscriberKey: string; readonly stage: number; readonly language: string; readonly subject: string }[];
}

export function incidentFor(v: IncidentView): NoticeIncident {
  return {
    ticket: v.item.ticket,
    trackingUrl: v.item.tracking_url,
    firstSeen: v.item.first_seen,
    lastSeen: v.item.last_seen,
    attackCount: v.item.attack_count,
    botNames: JSON.parse(v.item.bot_names) as string[],
  };
}

export function contentFor(ctx: IspClientContext, s: SubscribersTable, stage: number, incidents: readonly IncidentView[]): NoticeContent {
  // Newest first: the latest episode is what the subscriber can still see happening.
  const sorted = [...incidents].sort((a, b) => b.item.last_seen.localeCompare(a.item.last_seen));
  return {
    language: (s.language === 'en' ? 'en' : s.language === 'ja' ? 'ja' : ctx.config.defaultLanguage) as Language,
    stage,
    ispName: ctx.config.ispName,
    subscriberName: s.name,
    incidents: sorted.map(incidentFor),
    publicUrl: ctx.config.center.publicUrl ?? ctx.config.center.url,
    contact: ctx.config.notices.contact,
    timeZone: ctx.config.notices.timezone,
  };
}

/**
 * The weekly notice run: refreshes completion from the center, plans one e-mail per subscriber
 * with an open incident at the right stage, sends them, keeps a local record and reports the
 * facts (tracking ID, stage, channel, time — never the contents) to the center.
 */
export async function sendNotices(ctx: IspClientContext, opts: NotifyOptions = {}): Promise<NotifySummary> {
  const now = ctx.now();
  const activityRows = await refreshActivity(ctx.db, () => ctx.center.activity(), now.toISOString());
  const due = opts.now === true || isNoticeTime(now, ctx.config.notices);
  const empty = { planned: 0, sent: 0, failed: [], byStage: {}, skipped: {}, preview: [] };
  if (!due) return { due, ...empty, reported: opts.dryRun ? 0 : await reportPending(ctx), activityRows };
  const states = await loadSubscriberStates(ctx.db);
  const { planned, skipped } = planNotices(states, now, ctx.config.notices.minDaysBetween);
  const skippedCounts: Record<string, number> = {};
  for (const s of skipped) skippedCounts[s.reason] = (skippedCounts[s.reason] ?? 0) + 1;
  const byStage: Record<string, number> = {};
  const preview: { subscriberKey: string; stage: number; language: string; subject: string }[] = [];
  const failed: { subscriberKey: string; reason: string }[] = [];
  let sent = 0;
  const mailer = opts.dryRun ? null : await ctx.mailer();
  if (!opts.dryRun && mailer === null && planned.length > 0) throw new UserError('CONFIG_INVALID', 'no smtp section in the ISP client config; notices cannot be sent (try --dry-run)');
  for (const p of planned) {
    const s = p.state.subscriber;
    const content = contentFor(ctx, s, p.stage, p.incidents);
    const doc = noticeDocument(content);
    const stageKey = p.stage >= 3 ? '3+' : String(p.stage);
    if (opts.dryRun || mailer === null) {
      preview.push({ subscriberKey: s.subscriber_key, stage: p.stage, language: content.language, subject: doc.subject });
      byStage[stageKey] = (byStage[stageKey] ?? 0) + 1;
      continue;
    }
    let messageId: string;
    try {
      ({ messageId } = await mailer.send({
        to: s.email as string,
        subject: doc.subject,
        text: renderText(doc),
        html: renderHtml(doc, content.language),
        language: content.language,
        fileStem: `stage${p.stage}-${content.language}-${content.incidents[0]?.ticket ?? 'notice'}`,
      }));
    } catch (e) {
      // The error text can name the recipient; keep it local and short.
      failed.push({ subscriberKey: s.subscriber_key, reason: (e as Error).message.slice(0, 200) });
      continue;
    }
    sent++;
    byStage[stageKey] = (byStage[stageKey] ?? 0) + 1;
    await ctx.db
      .insertInto('notices')
      .values({
        notice_id: randomUUID(),
        subscriber_key: s.subscriber_key,
        tracking_ids: JSON.stringify(p.incidents.map((v) => v.item.tracking_id)),
        stage: p.stage,
        channel: 'email',
        language: content.language,
        sent_at: ctx.now().toISOString(),
        message_id: messageId,
        reported_at: null,
      })
      .execute();
  }
  const reported = opts.dryRun ? 0 : await reportPending(ctx);
  return { due, planned: planned.length, sent, failed, byStage, skipped: skippedCounts, reported, activityRows, preview };
}

/** Reports every notice not yet reported: one fact per incident a notice covered. */
export async function reportPending(ctx: IspClientContext): Promise<number> {
  const pending = await ctx.db.selectFrom('notices').selectAll().where('reported_at', 'is', null).orderBy('sent_at').execute();
  if (pending.length === 0) return 0;
  const facts: NoticeReport[] = pending.flatMap((n) =>
    (JSON.parse(n.tracking_ids) as string[]).map((trackingId) => ({ trackingId, stage: n.stage, channel: n.channel as 'email' | 'postal', sentAt: n.sent_at })),
  );
  try {
    await ctx.center.reportNotices(facts);
  } catch (e) {
    ctx.warn(`notices sent but not yet reported to the center (retried next run): ${(e as Error).message}`);
    return 0;
  }
  const at = ctx.now().toISOString();
  await ctx.db.updateTable('notices').set({ reported_at: at }).where('notice_id', 'in', pending.map((n) => n.notice_id)).execute();
  return facts.length;
}
