import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number | null, label: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; nothing at all when piped or with --json, so that
 * scripted use gets clean output.
 */
export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {bar} {percentage}% | {label} | {value}/{total}', hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label) {
      const t = total ?? Math.max(done, 1);
      if (!started) {
        bar.start(t, done, { label });
        started = true;
      } else {
        bar.setTotal(t);
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
