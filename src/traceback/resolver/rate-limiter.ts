/**
 * Per-server query pacing (a GCRA token bucket): each server address gets at most `burst`
 * queries at once and `qps` per second after that. Slots are reserved when asked for, so
 * waiters leave in order and no timer is needed when a server is idle.
 */
export interface RateLimiter {
  /** Resolves when a query to `key` may be sent. */
  take(key: string): Promise<void>;
}

export function createRateLimiter(qps: number, burst: number, now: () => number = () => performance.now()): RateLimiter {
  if (!Number.isFinite(qps) || qps <= 0) return { take: () => Promise.resolve() };
  const interval = 1000 / qps;
  const tolerance = Math.max(0, burst - 1) * interval;
  // Theoretical arrival time per key; entries older than `now` are equivalent to absent.
  const tat = new Map<string, number>();
  let sweepAt = now() + 60_000;
  return {
    take(key: string): Promise<void> {
      const t = now();
      if (t > sweepAt) {
        for (const [k, v] of tat) if (v < t) tat.delete(k);
        sweepAt = t + 60_000;
      }
      const current = Math.max(tat.get(key) ?? t, t);
      const sendAt = current - tolerance;
      tat.set(key, current + interval);
      const wait = sendAt - t;
      if (wait <= 0) return Promise.resolve();
      return new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
    },
  };
}
