import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IspClientContext } from './context.js';
import { formatDate, checkUrl } from './notices/content.js';
import { noticeDocument } from './notices/templates.js';
import { contentFor, reportPending } from './notify.js';
import { findCjkFont } from './letters/fonts.js';
import { renderLettersCsv, type LetterRow } from './letters/letter-csv.js';
import { renderLettersPdf, type Letter } from './letters/letter-pdf.js';
import { letterReasons, openAttackCount, type LetterReason } from './letters/targeting.js';
import { loadSubscriberStates, refreshActivity, type SubscriberState } from './subscriber-state.js';

export interface LettersOptions {
  readonly format: 'pdf' | 'csv';
  readonly out: string;
  /** Write the file but record nothing (no local record, no report to the center). */
  readonly dryRun?: boolean;
}

export interface LettersSummary {
  readonly letters: number;
  readonly byReason: Readonly<Record<LetterReason, number>>;
  readonly skipped: { readonly noPostalAddress: number; readonly recentLetter: number };
  readonly out: string;
  readonly format: 'pdf' | 'csv';
  /** Set when Japanese letters had to be written in English for want of a CJK font. */
  readonly warning: string | null;
  readonly reported: number;
}

const DAY = 86_400_000;
const MAX_INCIDENTS_ON_A_LETTER = 3;

/**
 * Postal letters for subscribers who match a targeting rule, as a printable PDF (one letter per
 * page) or a mail-merge CSV. Each letter is recorded locally and reported to the center as a
 * "postal" notice (facts only), unless dryRun.
 */
export async function writeLetters(ctx: IspClientContext, opts: LettersOptions): Promise<LettersSummary> {
  const now = ctx.now();
  await refreshActivity(ctx.db, () => ctx.center.activity(), now.toISOString());
  const states = await loadSubscriberStates(ctx.db);
  const byReason: Record<LetterReason, number> = { 'many-attacks': 0, 'many-attacks-default-mail': 0, 'no-reaction': 0 };
  const skipped = { noPostalAddress: 0, recentLetter: 0 };
  const chosen: { state: SubscriberState; reasons: LetterReason[] }[] = [];
  for (const s of states) {
    const reasons = letterReasons(s, ctx.config.letters);
    if (reasons.length === 0) continue;
    if (s.subscriber.postal_address === null) {
      skipped.noPostalAddress++;
      continue;
    }
    if (s.lastLetterAt !== null && now.getTime() - Date.parse(s.lastLetterAt) < ctx.config.letters.minDaysBetween * DAY) {
      skipped.recentLetter++;
      continue;
    }
    for (const r of reasons) byReason[r]++;
    chosen.push({ state: s, reasons });
  }

  let warning: string | null = null;
  if (opts.format === 'csv') {
    writeFileSync(opts.out, renderLettersCsv(chosen.map((c) => csvRow(ctx, c.state, c.reasons))));
  } else {
    const font = findCjkFont(ctx.config.letters.font);
    const wantsJapanese = chosen.some((c) => (c.state.subscriber.language ?? ctx.config.defaultLanguage) === 'ja');
    if (font === null && wantsJapanese) {
      warning =
        `no font with Japanese glyphs found${ctx.config.letters.font !== null ? ` at ${ctx.config.letters.font}` : ''}; ` +
        'the letters are in English and non-Latin characters in names and addresses print as "?". ' +
        'Install one (Debian: apt-get install fonts-ipafont-gothic) or set letters.font.';
      ctx.warn(warning);
    }
    const letters: Letter[] = chosen.map((c) => {
      const content = contentFor(ctx, c.state.subscriber, c.state.emailsSent + 1, c.state.open.slice(0, MAX_INCIDENTS_ON_A_LETTER));
      const lang = font === null ? 'en' : content.language;
      const document = noticeDocument({ ...content, language: lang });
      return {
        addressLines: [...(c.state.subscriber.postal_address ?? '').split(/\r?\n/), c.state.subscriber.name !== null ? (lang === 'ja' ? `${c.state.subscriber.name} 様` : c.state.subscriber.name) : ''].filter((l) => l !== ''),
        date: formatDate(now.toISOString(), lang, ctx.config.notices.timezone),
        document,
      };
    });
    writeFileSync(opts.out, await renderLettersPdf(letters, font, `${ctx.config.ispName}: letters`));
  }

  if (!opts.dryRun) {
    for (const c of chosen) {
      await ctx.db
        .insertInto('notices')
        .values({
          notice_id: randomUUID(),
          subscriber_key: c.state.subscriber.subscriber_key,
          tracking_ids: JSON.stringify(c.state.open.map((v) => v.item.tracking_id)),
          stage: c.state.emailsSent + 1,
          channel: 'postal',
          language: c.state.subscriber.language,
          sent_at: now.toISOString(),
          message_id: null,
          reported_at: null,
        })
        .execute();
    }
  }
  const reported = opts.dryRun ? 0 : await reportPending(ctx);
  return { letters: chosen.length, byReason, skipped, out: opts.out, format: opts.format, warning, reported };
}

function csvRow(ctx: IspClientContext, s: SubscriberState, reasons: readonly string[]): LetterRow {
  const items = [...s.open].sort((a, b) => b.item.last_seen.localeCompare(a.item.last_seen)).map((v) => v.item);
  const publicUrl = ctx.config.center.publicUrl ?? ctx.config.center.url;
  return {
    customerNumber: s.subscriber.customer_number,
    name: s.subscriber.name,
    postalAddress: s.subscriber.postal_address ?? '',
    language: s.subscriber.language,
    stage: s.emailsSent + 1,
    reasons,
    tickets: items.map((i) => i.ticket),
    trackingUrls: items.map((i) => i.tracking_url),
    checkUrl: checkUrl(publicUrl, items[0]?.ticket ?? ''),
    firstSeen: items.map((i) => i.first_seen).sort()[0] ?? '',
    lastSeen: items.map((i) => i.last_seen).sort().at(-1) ?? '',
    attackCount: openAttackCount(s),
    botNames: [...new Set(items.flatMap((i) => JSON.parse(i.bot_names) as string[]))],
  };
}
