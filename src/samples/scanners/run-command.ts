import { spawn } from 'node:child_process';

/** The outcome of one scanner process; never a rejection, so callers turn every case into a verdict. */
export type CommandResult =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'failed'; readonly reason: string };

export interface RunCommandOptions {
  readonly timeoutMs: number;
  /** Output beyond this many bytes per stream is dropped (a runaway rule set must not fill memory). */
  readonly maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** Runs a command without a shell (arguments are never interpreted), with a time limit. */
export function runCommand(executable: string, args: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = capped(max);
    const err = capped(max);
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const settle = (r: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    child.on('error', (e: NodeJS.ErrnoException) =>
      settle({ kind: 'failed', reason: e.code === 'ENOENT' ? `${executable} not found` : `cannot run ${executable}: ${e.message}` }),
    );
    child.on('close', (code, signal) => {
      if (timedOut) return settle({ kind: 'failed', reason: `${executable} timed out after ${options.timeoutMs} ms` });
      if (code === null) return settle({ kind: 'failed', reason: `${executable} killed by ${signal ?? 'a signal'}` });
      settle({ kind: 'exited', code, stdout: out.text(), stderr: err.text() });
    });
  });
}

function capped(max: number): { push: (d: Buffer) => void; text: () => string } {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    push: (d: Buffer) => {
      if (size >= max) return;
      parts.push(d.subarray(0, max - size));
      size += d.length;
    },
    text: () => Buffer.concat(parts).toString('utf8'),
  };
}

/** The first few lines of a process's complaint, for a verdict's detail. */
export function shortText(s: string, maxChars = 500): string {
  const t = s.trim().replace(/\s*\n\s*/g, ' | ');
  return t.length > maxChars ? `${t.slice(0, maxChars)}…` : t;
}
