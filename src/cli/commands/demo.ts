import type { Command } from 'commander';
import { coverageReport } from '../../stats/coverage-report.js';
import { sampleCounts } from '../../storage/repositories/samples-repository.js';
import type { CliDeps } from '../deps.js';
import { printJson, table } from '../output.js';
import { createProgress } from '../progress.js';
import { formatCoverage } from './coverage.js';
import { formatIngestSummary, formatRegisterSummary } from './ingest.js';

export function registerDemo(program: Command, deps: CliDeps): void {
  program
    .command('demo')
    .description('ingest the bundled synthetic honeypot logs into a fresh SQLite file and print the summary and the coverage')
    .option('--dir <folder>', 'folder for the demo database and config (replaced if it holds an earlier demo)', 'cleancenter-demo')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nEverything in the demo is synthetic: documentation addresses (192.0.2.0/24, 198.51.100.0/24,\n203.0.113.0/24, 2001:db8::/32) in a made-up home country "ZZ" whose geo database covers them.')
    .action(async (o: { dir: string; json?: boolean }) => {
      const progress = createProgress(!o.json);
      const r = await deps.runDemo(o.dir, (label, done, total) => progress.update(done, total, label));
      progress.stop();
      try {
        const storage = await r.runtime.storage();
        const coverage = await coverageReport(storage, await r.runtime.homeBlocks(), { from: null, to: null });
        const monthly = await sampleCounts(storage, 'month');
        if (o.json) return printJson({ folder: r.folder, configFile: r.configFile, ingests: r.ingests, downloads: r.downloads, scan: r.scan, sampleCounts: monthly, coverage, workflow: r.workflow });
        const out: string[] = [`demo database and config in ${r.folder} (synthetic data only)`, ''];
        for (const s of r.ingests) out.push(formatIngestSummary(s));
        out.push(formatRegisterSummary(r.downloads));
        out.push(`hash-list scan: ${r.scan.scanned} samples, ${r.scan.known} known, ${r.scan.unknown} unknown, ${r.scan.errors} errors\n`);
        out.push(`${table(['month', 'samples collected', 'distinct samples'], monthly.map((m) => [m.period, m.collected, m.distinct]))}\n`);
        out.push(formatCoverage(r.runtime.homeCountry, coverage));
        const w = r.workflow;
        out.push(
          [
            `ISP workflow: ${w.incidents.created} incidents formed; identification requests ${w.requests.map((q) => `${q.isp} ${q.week}: ${q.items}`).join(', ')}`,
            `Example Net's client: ${w.isp.pull.items} items looked up (${w.isp.pull.identified} identified, ${w.isp.pull.notFound} not found, ${w.isp.pull.notOurCustomer} not our customer); ${w.isp.answer.applied} answers applied at the center (opaque keys only)`,
            `notices over ${w.isp.weeks.length} weeks: ${w.isp.weeks.map((wk, i) => `week ${i + 1}: ${wk.sent} sent (${Object.entries(wk.byStage).map(([st, n]) => `stage ${st}: ${n}`).join(', ')})`).join('; ')}`,
            `the staged notices are in ${w.isp.mailDir} (${w.isp.emlFiles.length} .eml files; open them with any mail program)`,
            '',
          ].join('\n'),
        );
        out.push(`try: npm run cleancenter -- --config ${r.configFile} rejects    (or: samples, coverage, incidents list)\n`);
        process.stdout.write(out.join('\n'));
      } finally {
        await r.runtime.close();
      }
    });
}
