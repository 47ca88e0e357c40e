import { Command, Option } from 'commander';
import type { CliDeps, GlobalOptions } from './deps.js';
import { registerIngest } from './commands/ingest.js';
import { registerRejects } from './commands/rejects.js';
import { registerSamples } from './commands/samples.js';
import { registerCoverage } from './commands/coverage.js';
import { registerDemo } from './commands/demo.js';
import { registerInit } from './commands/init.js';
import { registerIspClient } from './commands/isp-client.js';
import { registerServe } from './commands/serve.js';
import { registerWorkflowCommands } from './commands/workflow-commands.js';
import { registerTraceback } from './commands/traceback.js';
import { printJson, table } from './output.js';

/** The `cleancenter` command. Parsing and printing only: every action calls a service. */
export function buildProgram(deps: CliDeps): Command {
  const program = new Command('cleancenter')
    .description('a botnet-countermeasure center in a box: honeypot intake, samples, ISP workflow, traceback study')
    .version(deps.version)
    .addOption(new Option('-c, --config <file>', 'config file (default ./cleancenter.yaml)').env('CLEANCENTER_CONFIG'))
    .addOption(new Option('--db <location>', 'database: a SQLite file or a postgres:// URL (overrides the config; env CLEANCENTER_DB)'))
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: false });
  const globals = (): GlobalOptions => {
    const o = program.opts<{ config?: string; db?: string }>();
    // An empty value (CLEANCENTER_CONFIG= in a script) means "not given", as the config loader treats it.
    return { ...(o.config ? { config: o.config } : {}), ...(o.db ? { db: o.db } : {}) };
  };

  registerInit(program, deps);
  registerIngest(program, deps, globals);
  registerRejects(program, deps, globals);
  registerSamples(program, deps, globals);
  registerCoverage(program, deps, globals);
  registerDemo(program, deps);
  registerIspClient(program, deps);
  registerServe(program, deps, globals);
  registerWorkflowCommands(program, deps, globals);
  registerTraceback(program, deps, globals);

  program
    .command('formats')
    .description('list the honeypot input formats ingest accepts')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const rows = [...deps.readers.values()].map((r) => ({ format: r.format, description: r.description }));
      if (o.json) return printJson(rows);
      process.stdout.write(`${table(['format', 'description'], rows.map((r) => [r.format, r.description]))}\n`);
    });
  return program;
}
