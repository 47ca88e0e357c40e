import { type Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { createOperator } from '../../workflow/index.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { cliActor } from './workflow-actor.js';

export function registerWorkflowOperator(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const op = program.command('operator').description('center operator accounts (web console)');

  op
    .command('add')
    .description('add an operator; the password is read from standard input (or asked for on a terminal), never from the command line')
    .argument('<username>')
    .action(async (username: string) => {
      const password = process.stdin.isTTY ? await promptHidden(`password for ${username}: `) : await readStdinLine();
      if (password === '') throw new UserError('USAGE', 'no password given on standard input');
      const rt = await deps.openRuntime(globals());
      try {
        await createOperator(await rt.storage(), username, password, cliActor());
        process.stdout.write(`added operator ${username}\n`);
      } finally {
        await rt.close();
      }
    });
}

/** The first line of standard input (a password piped in, e.g. from a secrets store). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    const b = c as Buffer;
    chunks.push(b);
    size += b.length;
    if (size > 4096 || b.includes(0x0a)) break;
  }
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
