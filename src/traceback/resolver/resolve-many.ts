/**
 * Runs a resolve function over a stream of names with bounded concurrency and yields results
 * as they complete, so that a caller can store or print them without holding the whole list.
 */
import type { ResolveManyOptions, ResolveResult } from './types.js';

export async function* resolveManyWith(
  resolve: (name: string) => Promise<ResolveResult>,
  names: Iterable<string> | AsyncIterable<string>,
  opts: ResolveManyOptions = {},
): AsyncIterable<ResolveResult> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 200));
  const total = Array.isArray(names) ? names.length : null;
  const iterator = (Symbol.asyncIterator in names ? names[Symbol.asyncIterator]() : names[Symbol.iterator]()) as
    | AsyncIterator<string>
    | Iterator<string>;
  const ready: ResolveResult[] = [];
  let wake: (() => void) | null = null;
  let active = 0;
  let exhausted = false;
  let done = 0;
  let failure: unknown = null;
  let stopped = false;

  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };

  // Workers pull names one by one; reading the source is serialised through this chain.
  let reading: Promise<unknown> = Promise.resolve();
  const nextName = (): Promise<string | null> => {
    const p = reading.then(async () => {
      if (exhausted || stopped) return null;
      const r = await iterator.next();
      if (r.done === true) {
        exhausted = true;
        return null;
      }
      return String(r.value);
    });
    reading = p.catch(() => undefined);
    return p;
  };

  const worker = async (): Promise<void> => {
    active++;
    try {
      for (;;) {
        const name = await nextName();
        if (name === null) break;
        const result = await resolve(name);
        ready.push(result);
        notify();
      }
    } catch (e) {
      failure = e;
    } finally {
      active--;
      notify();
    }
  };

  for (let i = 0; i < concurrency; i++) void worker();

  try {
    for (;;) {
    while (ready.length > 0) {
      const result = ready.shift() as ResolveResult;
      done++;
      opts.onProgress?.({ done, total, result });
      yield result;
    }
    if (failure !== null) throw failure;
    if (active === 0) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    }
  } finally {
    // A consumer that stops early (break) stops the workers from taking new names.
    stopped = true;
  }
}
