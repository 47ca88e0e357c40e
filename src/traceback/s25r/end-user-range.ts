import { ratio, type Ratio } from '../../domain/study-math.js';

export type { Ratio } from '../../domain/study-math.js';

/** The end-user share of a sample as the study reports it. */
export interface EndUserRange {
  /** End-user share of the sample as classified. */
  readonly raw: Ratio;
  /** End-user share of the benign control set: how often S25R fires on hosts that are not end users. */
  readonly control: Ratio;
  /** raw − control as a fraction, floored at 0; null when either set is empty. */
  readonly corrected: number | null;
  /** [corrected, raw]: the true share is taken to lie between the two. Null when either set is empty. */
  readonly range: readonly [number, number] | null;
}

function endUserRatio(items: readonly { readonly endUser: boolean }[]): Ratio {
  return ratio(items.reduce((c, x) => c + (x.endUser ? 1 : 0), 0), items.length);
}

/**
 * The end-user share of `sample`, from the raw S25R rate down to the rate corrected by the
 * control set's false-positive rate (Kai & Sasaki: DNS servers 31% raw, 14% control, 17%
 * corrected). The correction subtracts percentage points, as the paper does, rather than
 * modelling sensitivity and specificity, because the control set only measures false positives.
 */
export function endUserRange(
  sample: readonly { readonly endUser: boolean }[],
  control: readonly { readonly endUser: boolean }[],
): EndUserRange {
  const raw = endUserRatio(sample);
  const ctl = endUserRatio(control);
  if (raw.share === null || ctl.share === null) return { raw, control: ctl, corrected: null, range: null };
  // Cross-multiplied so that 31/100 − 14/100 is exactly 0.17, not 0.17000000000000004.
  const corrected = Math.max(0, (raw.count * ctl.n - ctl.count * raw.n) / (raw.n * ctl.n));
  return { raw, control: ctl, corrected, range: [corrected, raw.share] };
}
