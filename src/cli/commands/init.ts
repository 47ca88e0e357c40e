import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { printJson } from '../output.js';

export function registerInit(program: Command, deps: CliDeps): void {
  program
    .command('init')
    .description('write a commented starter config (cleancenter.yaml) to edit')
    .argument('[file]', 'where to write it', 'cleancenter.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: { force?: boolean; json?: boolean }) => {
      const written = deps.writeStarterConfig(file, o.force ?? false);
      if (o.json) return printJson({ written });
      process.stdout.write(`wrote ${written}\nedit homeCountry, database and isps, then run: cleancenter ingest --format <format> <files>\n`);
    });
}
