import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { buildProgram } from '../cli/program.js';
import { isUserError } from '../domain/errors.js';
import { createReaders } from './readers.js';
import { openRuntime } from './runtime.js';
import { openScanner } from './scanners.js';
import { writeStarterConfig } from './config.js';
import { runDemo } from './demo.js';
import { ispClientDeps } from './isp-client.js';
import { startServer } from './serve.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The composition root of the command line: concrete readers, storage, enrichment and scanners meet here. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram({
    version: pkg.version,
    readers: createReaders(),
    openRuntime,
    openScanner,
    writeStarterConfig: (path, force) => writeStarterConfig(path, { force }),
    runDemo,
    isp: ispClientDeps,
    startServer,
  });
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isUserError(e)) {
      process.stderr.write(`cleancenter: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof Error && e.name === 'ConfigError') {
      process.stderr.write(`cleancenter: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`cleancenter: internal error (a bug; please report it):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
