import type { IncidentView, SubscriberState } from '../subscriber-state.js';

export interface PlannedNotice {
  readonly state: SubscriberState;
  /** 1 informs, 2 asks, 3 and above are urgent. */
  readonly stage: number;
  readonly incidents: readonly IncidentView[];
}

export interface SkippedNotice {
  readonly subscriberKey: string;
  readonly reason: 'no open incident' | 'no e-mail address' | 'notified recently';
}

const DAY = 86_400_000;

/**
 * The week's e-mail notices: one per subscriber with an open incident, at the stage given by the
 * number of e-mails that subscriber was already sent, at most one per minDaysBetween days.
 */
export function planNotices(states: readonly SubscriberState[], now: Date, minDaysBetween: number): { planned: PlannedNotice[]; skipped: SkippedNotice[] } {
  const planned: PlannedNotice[] = [];
  const skipped: SkippedNotice[] = [];
  for (const s of states) {
    const key = s.subscriber.subscriber_key;
    if (s.open.length === 0) skipped.push({ subscriberKey: key, reason: 'no open incident' });
    else if (s.subscriber.email === null) skipped.push({ subscriberKey: key, reason: 'no e-mail address' });
    // A little slack (12 h) so that a weekly run that starts a few minutes earlier still sends.
    else if (s.lastEmailAt !== null && now.getTime() - Date.parse(s.lastEmailAt) < minDaysBetween * DAY - 12 * 3_600_000) skipped.push({ subscriberKey: key, reason: 'notified recently' });
    else planned.push({ state: s, stage: s.emailsSent + 1, incidents: s.open });
  }
  return { planned, skipped };
}

export type StageTone = 'inform' | 'ask' | 'urgent';

export function stageTone(stage: number): StageTone {
  return stage <= 1 ? 'inform' : stage === 2 ? 'ask' : 'urgent';
}
