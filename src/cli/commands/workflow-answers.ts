import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { applyAnswerUpload } from '../../workflow/index.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { cliActor } from './workflow-actor.js';

export function registerWorkflowAnswers(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const answers = program.command('answers').description("ISP answers to identification requests (opaque subscriber key, not-found, not-our-customer)");

  answers
    .command('import')
    .description('apply an answer file for one ISP, as a whole or not at all (CSV header tracking_id,result,subscriber_key, or JSON {"answers":[…]})')
    .requiredOption('--isp <id>', 'the ISP that answered')
    .argument('<file>')
    .option('--format <format>', 'csv or json (default: from the file name)', (v) => {
      if (v !== 'csv' && v !== 'json') throw new InvalidArgumentError('expected csv or json');
      return v;
    })
    .option('--json', 'print as JSON')
    .action(async (file: string, o: { isp: string; format?: 'csv' | 'json'; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const maxBytes = rt.workflow?.answerMaxBytes ?? 33_554_432;
        const body = readAtMost(file, maxBytes + 1);
        const format = o.format ?? (/\.json$/i.test(file) ? 'json' : 'csv');
        const r = await applyAnswerUpload(
          await rt.storage(),
          o.isp,
          { body, contentType: format === 'json' ? 'application/json' : 'text/csv', maxBytes, maxRows: rt.workflow?.answerMaxRows ?? 200_000 },
          cliActor(),
        );
        if (o.json) {
          printJson(r);
        } else if (r.ok) {
          process.stdout.write(`${r.applied} answer(s) accepted, ${r.changed} incident(s) changed\n`);
        } else {
          process.stdout.write(`${table(['row', 'tracking id', 'reason'], r.rejected.slice(0, 200).map((x) => [x.row, x.trackingId === null ? null : printable(x.trackingId, 40), printable(x.reason, 120)]))}\n`);
          if (r.rejected.length > 200) process.stdout.write(`… and ${r.rejected.length - 200} more (use --json for all)\n`);
        }
        if (!r.ok) throw new UserError('USAGE', `${r.rejected.length} row(s) rejected; nothing was applied`);
      } finally {
        await rt.close();
      }
    });
}

/** Reads a file but never more than `limit` bytes, so that a huge file is reported, not loaded. */
function readAtMost(path: string, limit: number): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UserError('FILE_NOT_FOUND', `${path}: ${(e as Error).message}`);
  }
  const buf = Buffer.alloc(Math.min(size, limit));
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
