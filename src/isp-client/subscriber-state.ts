import type { Kysely } from 'kysely';
import type { IncidentActivity } from './center-client.js';
import type { ActivityTable, ItemsTable, LocalDatabase, SubscribersTable } from './local-schema.js';

export interface IncidentView {
  readonly item: ItemsTable;
  readonly activity: ActivityTable | null;
}

/** One subscriber as the notice and letter steps see them. */
export interface SubscriberState {
  readonly subscriber: SubscribersTable;
  /** Identified incidents that are not completed, or completed and then reinfected. */
  readonly open: readonly IncidentView[];
  /** E-mail notices ever sent to this subscriber: the stage of the next one is this + 1. */
  readonly emailsSent: number;
  /** E-mail notices that covered one of the open incidents (the current episode). */
  readonly emailsForOpen: number;
  readonly lastEmailAt: string | null;
  readonly lastLetterAt: string | null;
  readonly lettersSent: number;
  /** Whether the subscriber visited the tracking link of any open incident. */
  readonly visited: boolean;
}

/**
 * Completion stops notices; reinfection starts them again. The center reports reinfection either
 * as a new incident (new tracking ID, same subscriber key) or by flagging the old one.
 */
export function isOpen(a: ActivityTable | null): boolean {
  if (a === null) return true;
  if (a.reinfected === 1) return true;
  return a.completed_at === null && a.remediated_at === null && a.state !== 'completed' && a.state !== 'remediated';
}

export async function loadSubscriberStates(db: Kysely<LocalDatabase>): Promise<SubscriberState[]> {
  const subscribers = await db.selectFrom('subscribers').selectAll().orderBy('subscriber_key').execute();
  const items = await db.selectFrom('items').selectAll().where('result', '=', 'identified').where('subscriber_key', 'is not', null).orderBy('first_seen').execute();
  const activity = new Map((await db.selectFrom('activity').selectAll().execute()).map((a) => [a.tracking_id, a]));
  const notices = await db.selectFrom('notices').selectAll().orderBy('sent_at').execute();
  const itemsBy = groupBy(items, (i) => i.subscriber_key as string);
  const noticesBy = groupBy(notices, (n) => n.subscriber_key);
  return subscribers.map((subscriber) => {
    const mine = itemsBy.get(subscriber.subscriber_key) ?? [];
    const open = supersede(mine.map((item) => ({ item, activity: activity.get(item.tracking_id) ?? null })).filter((v) => isOpen(v.activity)));
    const openIds = new Set(open.map((v) => v.item.tracking_id));
    const sent = noticesBy.get(subscriber.subscriber_key) ?? [];
    const emails = sent.filter((n) => n.channel === 'email');
    const letters = sent.filter((n) => n.channel === 'postal');
    const covers = (n: { tracking_ids: string }): boolean => (JSON.parse(n.tracking_ids) as string[]).some((id) => openIds.has(id));
    return {
      subscriber,
      open,
      emailsSent: emails.length,
      emailsForOpen: emails.filter(covers).length,
      lastEmailAt: emails.at(-1)?.sent_at ?? null,
      lastLetterAt: letters.at(-1)?.sent_at ?? null,
      lettersSent: letters.length,
      visited: open.some((v) => v.activity?.visited_at != null),
    };
  });
}

/**
 * The center flags a finished episode as reinfected and also opens a new incident for the new
 * activity. Where that newer incident is known, it alone stands for the reinfection: the finished
 * episode is not announced again.
 */
function supersede(open: IncidentView[]): IncidentView[] {
  const finished = (v: IncidentView): boolean => v.activity !== null && (v.activity.completed_at !== null || v.activity.remediated_at !== null);
  return open.filter((v) => !finished(v) || !open.some((w) => w !== v && !finished(w) && w.item.first_seen > v.item.last_seen));
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list === undefined) m.set(k, [r]);
    else list.push(r);
  }
  return m;
}

/** Fetches GET /activity and keeps it locally; completion and reinfection come from here. */
export async function refreshActivity(db: Kysely<LocalDatabase>, fetch: () => Promise<readonly IncidentActivity[]>, now: string): Promise<number> {
  const list = await fetch();
  let n = 0;
  for (const a of list) {
    if (typeof a?.trackingId !== 'string' || a.trackingId.length > 200) continue;
    const t = (v: unknown): string | null => (typeof v === 'string' && v.length <= 40 ? v : null);
    const row = {
      tracking_id: a.trackingId,
      state: typeof a.state === 'string' ? a.state.slice(0, 40) : 'unknown',
      visited_at: t(a.visitedAt),
      downloaded_at: t(a.downloadedAt),
      completed_at: t(a.completedAt),
      remediated_at: t(a.remediatedAt),
      reinfected: a.reinfected === true ? 1 : 0,
      fetched_at: now,
    };
    const { tracking_id: _id, ...update } = row;
    await db.insertInto('activity').values(row).onConflict((oc) => oc.column('tracking_id').doUpdateSet(update)).execute();
    n++;
  }
  return n;
}
