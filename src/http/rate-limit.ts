/**
 * Fixed-window counters in memory, enough to slow password and ticket guessing from one process.
 * The map is bounded so that a flood of distinct keys cannot grow it without limit.
 */
export interface RateLimiter {
  /** Counts one attempt for the key; false when the key is over its limit in this window. */
  hit(key: string): boolean;
  /** True when the key is over its limit, without counting. */
  blocked(key: string): boolean;
  reset(key: string): void;
}

export function createRateLimiter(opts: { max: number; windowMs: number; maxKeys?: number; now?: () => number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const windows = new Map<string, { start: number; count: number }>();
  const current = (key: string): { start: number; count: number } | undefined => {
    const w = windows.get(key);
    if (w !== undefined && now() - w.start >= opts.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  return {
    hit(key) {
      let w = current(key);
      if (w === undefined) {
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next();
          if (oldest.done !== true) windows.delete(oldest.value);
        }
        w = { start: now(), count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return w.count <= opts.max;
    },
    blocked(key) {
      const w = current(key);
      return w !== undefined && w.count >= opts.max;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
