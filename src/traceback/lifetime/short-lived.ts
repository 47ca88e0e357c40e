/**
 * The share of C&C addresses listed for less than a week, among those that are not end-user hosts.
 * The paper reads a short C&C life as a sign of a professional administrator who removes abuse
 * quickly; end-user hosts are left out because their addresses change for other reasons.
 */
import { wilson } from '../../domain/study-math.js';

export const SHORT_LIFE_DAYS = 7;

export interface LifetimeItem {
  readonly lifetimeDays: number | null;
  readonly lifetimeCensored: boolean | null;
  readonly endUser: boolean;
}

export interface ShortLivedShare {
  /** Listed for less than `thresholdDays` and no longer listed. */
  readonly count: number;
  /** Non-end-user items whose lifetime is known well enough to say (see below). */
  readonly n: number;
  readonly share: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly endUserExcluded: number;
  /** No lifetime known. */
  readonly unknown: number;
  /** Still listed and listed for less than the threshold so far: could end either side of it. */
  readonly undetermined: number;
  readonly thresholdDays: number;
}

/**
 * count = non-end-user items with a lifetime under the threshold that ended (not censored);
 * n = non-end-user items with a lifetime, less the undetermined ones (censored and under the threshold).
 */
export function shortLivedShare(items: readonly LifetimeItem[], thresholdDays: number = SHORT_LIFE_DAYS): ShortLivedShare {
  let count = 0;
  let n = 0;
  let endUserExcluded = 0;
  let unknown = 0;
  let undetermined = 0;
  for (const it of items) {
    if (it.endUser) {
      endUserExcluded++;
      continue;
    }
    if (it.lifetimeDays === null) {
      unknown++;
      continue;
    }
    const short = it.lifetimeDays < thresholdDays;
    if (short && it.lifetimeCensored === true) {
      undetermined++;
      continue;
    }
    n++;
    if (short) count++;
  }
  return { count, n, ...wilson(count, n), endUserExcluded, unknown, undetermined, thresholdDays };
}
