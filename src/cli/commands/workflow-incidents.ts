import { type Command } from 'commander';
import { buildIncidents, listIncidents } from '../../workflow/index.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { positiveInt } from './parse.js';

export function registerWorkflowIncidents(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const incidents = program.command('incidents').description('incidents: one per participating ISP, source IP and infection episode');

  incidents
    .command('build')
    .description('turn newly imported events into incidents (incremental; running it again changes nothing)')
    .option('--gap-days <n>', 'sightings further apart start a new episode (default: config workflow.episodeGapDays)', (v) => positiveInt(v))
    .option('--remediation-days <n>', 'quiet days after which an identified incident is remediated (default: config)', (v) => positiveInt(v))
    .option('--full', 're-read every source, not only those touched by new imports')
    .option('--json', 'print as JSON')
    .action(async (o: { gapDays?: number; remediationDays?: number; full?: boolean; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const r = await buildIncidents(await rt.storage(), {
          gapDays: o.gapDays ?? rt.workflow?.episodeGapDays ?? 7,
          remediationDays: o.remediationDays ?? rt.workflow?.remediationDays ?? 30,
          full: o.full ?? false,
        });
        if (o.json) return printJson(r);
        process.stdout.write(`${r.sources} source(s) read: ${r.created} incident(s) created, ${r.extended} extended, ${r.reinfected} reinfected, ${r.remediated} remediated\n`);
        for (const isp of r.unregisteredIsps) {
          process.stdout.write(`events name ISP ${printable(JSON.stringify(isp), 80)}, which is not registered; add it with: cleancenter isp-admin add --name …\n`);
        }
      } finally {
        await rt.close();
      }
    });

  incidents
    .command('list', { isDefault: true })
    .description('list incidents, newest first')
    .option('--isp <id>', 'only this ISP')
    .option('--state <state>', 'only this state (detected, requested, identified, not-found, not-our-customer, notified, visited, downloaded, completed, remediated, reinfected)')
    .option('--limit <n>', 'at most this many', (v) => positiveInt(v), 100)
    .option('--offset <n>', 'skip this many first', (v) => positiveInt(v, 0), 0)
    .option('--json', 'print as JSON')
    .action(async (o: { isp?: string; state?: string; limit: number; offset: number; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const r = await listIncidents(await rt.storage(), {
          ...(o.isp !== undefined ? { ispId: o.isp } : {}),
          ...(o.state !== undefined ? { state: o.state } : {}),
          limit: o.limit,
          offset: o.offset,
        });
        if (o.json) return printJson(r);
        process.stdout.write(`${r.total} incident(s)${r.total > r.incidents.length ? `, showing ${r.incidents.length} from ${o.offset + 1}` : ''}\n`);
        if (r.incidents.length === 0) return;
        process.stdout.write(
          `${table(
            ['ticket', 'isp', 'source', 'first seen', 'last seen', 'attacks', 'strongest', 'state', 'stage', 'bots'],
            r.incidents.map((i) => [
              i.ticket,
              i.ispId,
              i.srcIp,
              i.firstSeen.slice(0, 16),
              i.lastSeen.slice(0, 16),
              i.attackCount,
              i.strongestStage,
              i.state,
              i.noticeStage,
              printable(i.botNames.join(' '), 40),
            ]),
          )}\n`,
        );
      } finally {
        await rt.close();
      }
    });
}
