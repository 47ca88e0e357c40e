/**
 * Remembers which server addresses recently timed out, so that thousands of names in the same
 * zone do not each wait on the same silent server before trying the next one.
 */
export interface ServerHealth {
  failed(ip: string): void;
  succeeded(ip: string): void;
  /** True while `ip` is in its penalty period. */
  isSuspect(ip: string): boolean;
}

export function createServerHealth(penaltyMs: number, now: () => number = () => performance.now()): ServerHealth {
  const until = new Map<string, number>();
  return {
    failed(ip) {
      until.set(ip, now() + penaltyMs);
    },
    succeeded(ip) {
      until.delete(ip);
    },
    isSuspect(ip) {
      const u = until.get(ip);
      if (u === undefined) return false;
      if (u > now()) return true;
      until.delete(ip);
      return false;
    },
  };
}
