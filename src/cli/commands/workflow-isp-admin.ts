import { InvalidArgumentError, type Command } from 'commander';
import { createIsp, listIsps, rotateIspToken, updateIsp } from '../../workflow/index.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { cliActor } from './workflow-actor.js';

function asn(value: string, previous: number[] = []): number[] {
  const n = Number(value.replace(/^AS/i, ''));
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new InvalidArgumentError(`expected an AS number like 64500 or AS64500, got "${value}"`);
  return [...previous, n];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerWorkflowIspAdmin(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const isp = program.command('isp-admin').description('center side: participating ISPs, their networks and API tokens (every change is audited)');

  isp
    .command('add')
    .description('register a participating ISP')
    .requiredOption('--name <name>', 'the name events are enriched with (as in the config isps list)')
    .option('--id <id>', 'id slug (default: from the name)')
    .option('--asn <asn>', 'an AS number of the ISP (repeatable)', asn)
    .option('--prefix <prefix>', 'an address prefix of the ISP (repeatable)', collect)
    .option('--token', 'also issue an API token (shown once)')
    .option('--json', 'print as JSON')
    .action(async (o: { name: string; id?: string; asn?: number[]; prefix?: string[]; token?: boolean; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const storage = await rt.storage();
        const created = await createIsp(storage, { name: o.name, ...(o.id !== undefined ? { id: o.id } : {}), asns: o.asn ?? [], prefixes: o.prefix ?? [] }, cliActor());
        const token = o.token ? (await rotateIspToken(storage, created.id, cliActor())).token : null;
        if (o.json) return printJson({ ...created, ...(token !== null ? { token } : {}) });
        process.stdout.write(`added ISP ${created.id} (${printable(created.name)})\n`);
        if (token !== null) process.stdout.write(`API token (shown once, store it now):\n${token}\n`);
      } finally {
        await rt.close();
      }
    });

  isp
    .command('edit')
    .description("change an ISP's name, ASNs or prefixes (a list given replaces the stored one)")
    .argument('<id>')
    .option('--name <name>', 'new name')
    .option('--asn <asn>', 'AS number (repeatable; replaces the list)', asn)
    .option('--prefix <prefix>', 'prefix (repeatable; replaces the list)', collect)
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { name?: string; asn?: number[]; prefix?: string[]; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const r = await updateIsp(
          await rt.storage(),
          id,
          { ...(o.name !== undefined ? { name: o.name } : {}), ...(o.asn !== undefined ? { asns: o.asn } : {}), ...(o.prefix !== undefined ? { prefixes: o.prefix } : {}) },
          cliActor(),
        );
        if (o.json) return printJson(r);
        process.stdout.write(`updated ISP ${r.id}: ${printable(r.name)}; ASNs ${r.asns.join(' ') || '-'}; prefixes ${r.prefixes.join(' ') || '-'}\n`);
      } finally {
        await rt.close();
      }
    });

  isp
    .command('list', { isDefault: true })
    .description('list participating ISPs')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const list = await listIsps(await rt.storage());
        if (o.json) return printJson(list);
        process.stdout.write(`${list.length} ISP(s)\n`);
        if (list.length > 0) process.stdout.write(`${table(['id', 'name', 'ASNs', 'prefixes', 'tokens'], list.map((i) => [i.id, printable(i.name, 40), i.asns.join(' '), i.prefixes.join(' '), i.activeTokens]))}\n`);
      } finally {
        await rt.close();
      }
    });

  isp
    .command('rotate-token')
    .description('issue a new API token for an ISP and revoke its old ones (the new token is shown once)')
    .argument('<id>')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const { token } = await rotateIspToken(await rt.storage(), id, cliActor());
        if (o.json) return printJson({ ispId: id, token });
        process.stdout.write(`new API token for ${id} (shown once; older tokens no longer work):\n${token}\n`);
      } finally {
        await rt.close();
      }
    });
}
