/**
 * The arithmetic of the botnet-traceback study (Kai & Sasaki): confidence intervals for the
 * shares it reports, and the probability that a traceback reaches the operator behind a chain
 * of stepping stones. Pure functions; every figure the study report prints comes from here.
 */

/** z for a two-sided 95% interval (the 0.975 quantile of the standard normal). */
export const Z95 = 1.959964;

/** A share with its Wilson score interval. All three are fractions in [0, 1], or null when n = 0. */
export interface ShareInterval {
  readonly share: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * The Wilson score interval for `successes` out of `n`.
 *
 * Wilson rather than the normal ("Wald") interval because the study's samples are small (tens to
 * hundreds of IPs) and its shares sit near 0 for some countries: Wald then gives negative lower
 * bounds and zero-width intervals at 0/n, Wilson stays inside [0, 1] and is never empty.
 *
 * Throws RangeError for counts that cannot be a sample (negative, fractional, successes > n):
 * those are bugs in the caller, not data.
 */
export function wilson(successes: number, n: number, z: number = Z95): ShareInterval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilson: need integers 0 <= successes <= n, got ${successes}/${n}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`wilson: z must be a positive number, got ${z}`);
  if (n === 0) return { share: null, low: null, high: null };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp away rounding noise: at 0/n the exact lower bound is 0, at n/n the upper bound is 1.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === n ? 1 : Math.min(1, centre + half);
  return { share: p, low, high };
}

/** A count out of n, its share and the share's 95% Wilson interval (fractions; null when n = 0). */
export interface Ratio {
  readonly count: number;
  readonly n: number;
  readonly share: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export function ratio(count: number, n: number): Ratio {
  return { count, n, ...wilson(count, n) };
}

/**
 * The probability that a traceback passes `k` stepping stones and then the final host: each of
 * the k + 1 hops is traced independently with probability p, so the reach is p^(k+1).
 */
export function reach(p: number, k: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`reach: p must be in [0, 1], got ${p}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`reach: k must be a non-negative integer, got ${k}`);
  return p ** (k + 1);
}

/**
 * reach() over a range of per-hop probabilities. p^(k+1) rises with p, so the bounds map to
 * bounds; the pair is sorted so a reversed input still yields [low, high].
 */
export function reachRange(pRange: readonly [number, number], k: number): [number, number] {
  const a = reach(pRange[0], k);
  const b = reach(pRange[1], k);
  return a <= b ? [a, b] : [b, a];
}
