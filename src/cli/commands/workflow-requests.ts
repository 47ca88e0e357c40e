import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { buildWeeklyRequests, getRequest, listIsps, listRequests, requestOwner, requestToCsv, requestToJson, requestToXarf } from '../../workflow/index.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, table } from '../output.js';

const FORMATS = ['csv', 'json', 'xarf'] as const;

export function registerWorkflowRequests(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const requests = program.command('requests').description('weekly identification requests to ISPs (tracking ID, attack times, source IP and port)');

  requests
    .command('build')
    .description("build this week's request for each ISP (or one): every incident not yet requested, or unidentified with new activity")
    .option('--isp <id>', 'only this ISP')
    .option('--json', 'print as JSON')
    .action(async (o: { isp?: string; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const built = await buildWeeklyRequests(await rt.storage(), { ...(o.isp !== undefined ? { ispId: o.isp } : {}), publicUrl: rt.workflow?.publicUrl ?? null });
        const rows = built.map((r) => ({ requestId: r.requestId, isp: r.isp, week: r.week, items: r.items.length }));
        if (o.json) return printJson(rows);
        if (rows.length === 0) return void process.stdout.write('nothing to request: every incident is requested already\n');
        process.stdout.write(`${table(['request', 'isp', 'week', 'incidents'], rows.map((r) => [r.requestId, r.isp, r.week, r.items]))}\n`);
      } finally {
        await rt.close();
      }
    });

  requests
    .command('list', { isDefault: true })
    .description('list requests, newest first')
    .option('--isp <id>', 'only this ISP')
    .option('--json', 'print as JSON')
    .action(async (o: { isp?: string; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const storage = await rt.storage();
        const isps = o.isp !== undefined ? [o.isp] : (await listIsps(storage)).map((i) => i.id);
        const rows = [];
        for (const isp of isps) for (const r of await listRequests(storage, isp)) rows.push({ isp, ...r });
        rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        if (o.json) return printJson(rows);
        process.stdout.write(`${rows.length} request(s)\n`);
        if (rows.length > 0) process.stdout.write(`${table(['request', 'isp', 'week', 'created', 'incidents', 'answered'], rows.map((r) => [r.requestId, r.isp, r.week, r.createdAt.slice(0, 16), r.itemCount, r.answeredCount]))}\n`);
      } finally {
        await rt.close();
      }
    });

  requests
    .command('export')
    .description('write one request as CSV (one row per attack), JSON, or X-ARF v4 reports')
    .argument('<request-id>')
    .option('--format <format>', `${FORMATS.join(', ')}`, (v) => {
      if (!(FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
      return v as (typeof FORMATS)[number];
    }, 'csv' as (typeof FORMATS)[number])
    .option('--isp <id>', "the request's ISP (checked when given)")
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--reporter-org <name>', 'X-ARF reporter organisation', 'cleancenter')
    .option('--reporter-contact <email>', 'X-ARF reporter contact (default abuse@ the public URL host)')
    .action(async (id: string, o: { format: (typeof FORMATS)[number]; isp?: string; out?: string; reporterOrg: string; reporterContact?: string }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const storage = await rt.storage();
        const owner = o.isp ?? (await requestOwner(storage, id));
        const req = owner === null ? null : await getRequest(storage, owner, id, { publicUrl: rt.workflow?.publicUrl ?? null });
        if (req === null) throw new UserError('USAGE', `no request ${JSON.stringify(id.slice(0, 80))}${o.isp !== undefined ? ` for ISP ${o.isp}` : ''}; see cleancenter requests list`);
        const host = hostOf(rt.workflow?.publicUrl ?? null);
        const text =
          o.format === 'csv'
            ? requestToCsv(req)
            : o.format === 'json'
              ? `${requestToJson(req)}\n`
              : `${JSON.stringify(requestToXarf(req, { org: o.reporterOrg, contact: o.reporterContact ?? `abuse@${host}`, domain: host }), null, 2)}\n`;
        if (o.out !== undefined) {
          writeFileSync(o.out, text);
          process.stderr.write(`wrote ${req.items.length} incident(s) to ${o.out}\n`);
        } else process.stdout.write(text);
      } finally {
        await rt.close();
      }
    });
}

function hostOf(url: string | null): string {
  try {
    return url === null ? 'cleancenter.invalid' : new URL(url).hostname;
  } catch {
    return 'cleancenter.invalid';
  }
}
