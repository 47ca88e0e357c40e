import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BINARY_ABSENT, errorVerdict, knownVerdict, unknownVerdict, type SampleToScan, type Scanner, type Verdict } from '../scanner.js';
import { runCommand, shortText } from './run-command.js';

export interface YaraOptions {
  /** A rules source file (.yar) or a yarac-compiled file. */
  readonly rules: string;
  /** Whether rules is compiled; default: detected from the file's "YARA" magic bytes. */
  readonly compiled?: boolean;
  /** Default "yara" on PATH. */
  readonly executable?: string;
  /** Process time limit; yara's own scan timeout (-a) is set a little below it. Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Scanner name in verdicts. Default "yara". */
  readonly name?: string;
}

/** Rule identifiers as YARA defines them, optionally namespace-qualified. */
const RULE_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*:)?[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The yara command-line tool against one file. Any matching rule makes the sample 'known', with
 * the rule names as signature; no match is 'unknown'; a rules or file problem is 'error'.
 */
export function createYaraScanner(options: YaraOptions): Scanner {
  const name = options.name ?? 'yara';
  const executable = options.executable ?? 'yara';
  const timeoutMs = options.timeoutMs ?? 60_000;
  let compiled: Promise<boolean> | undefined;
  return {
    name,
    async scan(sample: SampleToScan): Promise<Verdict> {
      if (sample.path === null) return errorVerdict(name, BINARY_ABSENT);
      // Absolute, so that neither file can be taken for an option.
      const path = resolve(sample.path);
      const rules = resolve(options.rules);
      compiled ??= options.compiled !== undefined ? Promise.resolve(options.compiled) : isCompiledRules(rules);
      const args = ['--no-warnings', `--timeout=${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}`];
      if (await compiled) args.push('--compiled-rules');
      args.push(rules, path);
      const r = await runCommand(executable, args, { timeoutMs });
      if (r.kind === 'failed') return errorVerdict(name, r.reason);
      if (r.code !== 0) return errorVerdict(name, `yara exit ${r.code}: ${shortText(r.stderr + r.stdout) || 'no message'}`);
      const parsed = parseYaraOutput(r.stdout, path);
      const detail = parsed.unparsed === '' ? null : `unparsed yara output: ${shortText(parsed.unparsed)}`;
      if (parsed.rules.length > 0) return knownVerdict(name, parsed.rules.join(','), detail);
      return unknownVerdict(name, detail);
    },
  };
}

/**
 * Rule names from yara's "<rule> <path>" lines. The path is known, so each match is cut off at
 * " <path>\n" rather than at the first space: paths with spaces or even newlines stay intact.
 */
export function parseYaraOutput(stdout: string, path: string): { rules: string[]; unparsed: string } {
  const rules: string[] = [];
  const unparsed: string[] = [];
  const pieces = stdout.split(` ${path}\n`);
  const tail = pieces.pop() ?? '';
  for (const piece of pieces) {
    // Anything before the last newline is output that is not a match line.
    const nl = piece.lastIndexOf('\n');
    if (nl >= 0) unparsed.push(piece.slice(0, nl));
    const rule = piece.slice(nl + 1).trim();
    if (RULE_NAME.test(rule)) {
      if (!rules.includes(rule)) rules.push(rule);
    } else unparsed.push(piece.slice(nl + 1));
  }
  // A last match without a trailing newline.
  const last = tail.endsWith(` ${path}`) ? tail.slice(0, -(path.length + 1)).trim() : null;
  if (last !== null && RULE_NAME.test(last)) {
    if (!rules.includes(last)) rules.push(last);
  } else if (tail.trim() !== '') unparsed.push(tail);
  return { rules, unparsed: unparsed.filter((u) => u.trim() !== '').join('\n') };
}

async function isCompiledRules(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(4);
      const { bytesRead } = await fh.read(buf, 0, 4, 0);
      return bytesRead === 4 && buf.toString('latin1') === 'YARA';
    } finally {
      await fh.close();
    }
  } catch {
    // Let yara itself report the unreadable rules file.
    return false;
  }
}
