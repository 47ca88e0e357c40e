import type { Command } from 'commander';
import { listRejects } from '../../storage/repositories/rejects-repository.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { positiveInt } from './parse.js';

export function registerRejects(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  program
    .command('rejects')
    .description('list the records that intake set aside, with source, line and reason')
    .option('--format <format>', 'only this input format')
    .option('--source <text>', 'only sources whose path contains this text')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .option('--offset <n>', 'skip this many first', (v) => positiveInt(v, 0), 0)
    .option('--raw', 'also print the raw record (escaped)')
    .option('--json', 'print as JSON')
    .action(async (o: { format?: string; source?: string; limit: number; offset: number; raw?: boolean; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const r = await listRejects(await rt.storage(), {
          ...(o.format !== undefined ? { format: o.format } : {}),
          ...(o.source !== undefined ? { source: o.source } : {}),
          limit: o.limit,
          offset: o.offset,
        });
        if (o.json) return printJson(r);
        process.stdout.write(`${r.total} rejected record(s)${r.total > r.rejects.length ? `, showing ${r.rejects.length} from ${o.offset + 1}` : ''}\n`);
        if (r.rejects.length === 0) return;
        process.stdout.write(
          `${table(
            ['format', 'source', 'line/row', 'reason', ...(o.raw ? ['raw'] : [])],
            r.rejects.map((x) => [x.format, printable(x.source, 60), x.line ?? x.row ?? '-', printable(x.reason, 100), ...(o.raw ? [printable(x.raw, 200)] : [])]),
          )}\n`,
        );
      } finally {
        await rt.close();
      }
    });
}
