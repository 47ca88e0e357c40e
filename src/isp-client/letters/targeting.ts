import type { SubscriberState } from '../subscriber-state.js';

export interface LetterRules {
  readonly manyAttacks: number;
  readonly manyAttacksDefaultMail: number;
  readonly noReactionAfterEmails: number;
}

export type LetterReason = 'many-attacks' | 'many-attacks-default-mail' | 'no-reaction';

/** Attacks seen in the subscriber's open incidents. */
export function openAttackCount(s: SubscriberState): number {
  return s.open.reduce((n, v) => n + v.item.attack_count, 0);
}

/**
 * The clean-center's letter rules; a subscriber gets a letter when any one matches:
 * many attacks; many attacks while the ISP's default mail address was never changed (so e-mail
 * to it is probably never read); or no visit to the tracking link after several e-mails.
 */
export function letterReasons(s: SubscriberState, rules: LetterRules): LetterReason[] {
  if (s.open.length === 0) return [];
  const attacks = openAttackCount(s);
  const reasons: LetterReason[] = [];
  if (attacks >= rules.manyAttacks) reasons.push('many-attacks');
  if (s.subscriber.default_mail_unchanged === 1 && attacks >= rules.manyAttacksDefaultMail) reasons.push('many-attacks-default-mail');
  if (s.emailsForOpen >= rules.noReactionAfterEmails && !s.visited) reasons.push('no-reaction');
  return reasons;
}
