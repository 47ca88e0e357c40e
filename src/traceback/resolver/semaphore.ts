/** A counting semaphore for the global cap on outstanding queries. */
export interface Semaphore {
  acquire(): Promise<void>;
  release(): void;
  readonly active: number;
}

export function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiters: Array<() => void> = [];
  return {
    get active() {
      return active;
    },
    acquire(): Promise<void> {
      if (active < limit) {
        active++;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    release(): void {
      const next = waiters.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next !== undefined) next();
      else active--;
    },
  };
}
