import type { Command } from 'commander';
import { coverageReport } from '../../stats/coverage-report.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { percent, printJson, table } from '../output.js';
import { isoTime } from './parse.js';

export function registerCoverage(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  program
    .command('coverage')
    .description("honeypot coverage: the share of the home country's IPv4 /16 blocks from which at least one attack was seen")
    .option('--from <date>', 'period start (inclusive), e.g. 2024-05-01 or 2024-05', isoTime)
    .option('--to <date>', 'period end (exclusive)', isoTime)
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nA /16 block belongs to the home country when at least half of its addresses map to it in the geo database.')
    .action(async (o: { from?: string; to?: string; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const r = await coverageReport(await rt.storage(), await rt.homeBlocks(), { from: o.from ?? null, to: o.to ?? null });
        if (o.json) return printJson({ homeCountry: rt.homeCountry, ...r });
        process.stdout.write(formatCoverage(rt.homeCountry, r));
      } finally {
        await rt.close();
      }
    });
}

export function formatCoverage(country: string, r: Awaited<ReturnType<typeof coverageReport>>): string {
  const period = `${r.period.from?.slice(0, 10) ?? 'start'} .. ${r.period.to?.slice(0, 10) ?? 'now'}`;
  return `coverage of ${country} (${r.homeBlocks} home /16 blocks), period ${period}\n${table(
    ['sensor', 'home /16 seen', 'share'],
    [...r.perSensor.map((s) => [s.sensor, s.seen, percent(s.share)]), ['all sensors', r.total.seen, percent(r.total.share)]],
  )}\n`;
}
