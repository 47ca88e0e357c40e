import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BINARY_ABSENT, errorVerdict, knownVerdict, unknownVerdict, type SampleToScan, type Scanner, type Verdict } from '../scanner.js';
import { runCommand, shortText } from './run-command.js';

export interface ClamscanOptions {
  /** Default "clamscan" on PATH. */
  readonly executable?: string;
  /** Signature files or folders, each passed as -d; default: clamscan's own configured database. */
  readonly databases?: readonly string[];
  /** clamscan loads the whole database on every run, which takes long with the official one. Default 300 000 ms. */
  readonly timeoutMs?: number;
  /** Report every matching signature rather than the first (clamscan --allmatch). */
  readonly allMatch?: boolean;
  /** Scanner name in verdicts. Default "clamscan". */
  readonly name?: string;
}

/**
 * ClamAV's command-line scanner, one process per sample: slow, but needs no daemon. Prefer clamd
 * for batches. Exit 0 = clean, 1 = found, 2 = error (clamscan's documented codes).
 */
export function createClamscanScanner(options: ClamscanOptions = {}): Scanner {
  const name = options.name ?? 'clamscan';
  const executable = options.executable ?? 'clamscan';
  const timeoutMs = options.timeoutMs ?? 300_000;
  return {
    name,
    async scan(sample: SampleToScan): Promise<Verdict> {
      if (sample.path === null) return errorVerdict(name, BINARY_ABSENT);
      // Absolute, so that a file named "-d" or "--foo" is never taken for an option.
      const path = resolve(sample.path);
      try {
        await access(path, constants.R_OK);
      } catch (err) {
        return errorVerdict(name, `cannot read binary: ${err instanceof Error ? err.message : String(err)}`);
      }
      const args = ['--no-summary', '--stdout'];
      for (const db of options.databases ?? []) args.push('-d', db);
      if (options.allMatch) args.push('--allmatch=yes');
      args.push(path);
      const r = await runCommand(executable, args, { timeoutMs });
      if (r.kind === 'failed') return errorVerdict(name, r.reason);
      if (r.code === 0) return unknownVerdict(name);
      if (r.code === 1) {
        const signatures = parseClamscanFound(r.stdout, path);
        if (signatures.length > 0) return knownVerdict(name, signatures.join(','));
        return errorVerdict(name, `clamscan exit 1 without a FOUND line: ${shortText(r.stdout + r.stderr)}`);
      }
      return errorVerdict(name, `clamscan exit ${r.code}: ${shortText(r.stderr + r.stdout) || 'no message'}`);
    },
  };
}

/** Signature names from clamscan's "<path>: <Sig> FOUND" lines for this one path. */
export function parseClamscanFound(stdout: string, path: string): string[] {
  const prefix = `${path}: `;
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l.startsWith(prefix) && l.endsWith(' FOUND')) {
      const sig = l.slice(prefix.length, -' FOUND'.length).trim();
      if (sig !== '' && !out.includes(sig)) out.push(sig);
    }
  }
  return out;
}
