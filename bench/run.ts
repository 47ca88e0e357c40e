/**
 * npm run bench — intake throughput and memory (issue 2), then the ISP API on 100,000 incidents
 * (issue 3: build + download a week's request, answer upload, p50/p99 under concurrent clients).
 * For 1,000,000 and 5,000,000 generated events: a baseline (read + JSON.parse only) and the full
 * ingest (validate, enrich with the bundled GeoLite2 country and ASN tables and an ISP table, store
 * in SQLite). Each measurement runs in its own process so that peak memory is its own. Medians of
 * `--runs N` (default 1 for 5M, 3 for 1M).
 *   BENCH_SIZES=1000000,5000000 npm run bench
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { generateEvents } from './generate.js';

const OUT = new URL('./out/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const sizes = (process.env.BENCH_SIZES ?? '1000000,5000000').split(',').map(Number);
// BENCH_ONLY=intake | isp | resolver (comma-separated); the default runs intake and isp.
const only = process.env.BENCH_ONLY ?? 'intake,isp';

function worker(mode: string, file: string): Record<string, number> {
  // The same V8 flags as bin/cleancenter.js and the npm scripts start the product with.
  const o = execFileSync(process.execPath, [...NODE_FLAGS, '--import', 'tsx', join(import.meta.dirname, 'intake-worker.ts'), mode, file, join(OUT, 'bench.db')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(o.trim().split('\n').pop() as string) as Record<string, number>;
}
const NODE_FLAGS = ['--max-semi-space-size=64'];
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

if (only.includes('intake')) {
  console.log(`intake benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores; ingest is single-threaded)`);
  const rows: string[] = [];
  for (const n of sizes) {
    const file = join(OUT, `events-${n}.jsonl`);
    if (!existsSync(file)) {
      process.stderr.write(`generating ${n} events… `);
      await generateEvents(file, n);
      process.stderr.write(`${(statSync(file).size / 2 ** 20).toFixed(0)} MiB\n`);
    }
    const runs = Number(process.env.BENCH_RUNS ?? (n > 2_000_000 ? 1 : 3));
    const base: Record<string, number>[] = [];
    const ing: Record<string, number>[] = [];
    for (let r = 0; r < runs; r++) {
      base.push(worker('baseline', file));
      ing.push(worker('ingest', file));
    }
    const baseRate = median(base.map((b) => (b.events as number) / ((b.ms as number) / 1000)));
    const ingRate = median(ing.map((b) => (b.records as number) / ((b.ms as number) / 1000)));
    const row = {
      events: n,
      runs,
      baselineEventsPerSec: Math.round(baseRate),
      ingestEventsPerSec: Math.round(ingRate),
      ratioToBaseline: Number((ingRate / baseRate).toFixed(3)),
      ingestPeakRssMiB: Math.round(median(ing.map((b) => b.maxRssMiB as number))),
      baselinePeakRssMiB: Math.round(median(base.map((b) => b.maxRssMiB as number))),
      enrichmentSetupMs: Math.round(median(ing.map((b) => b.setupMs as number))),
      ingestGcMs: Math.round(median(ing.map((b) => b.gcMs as number))),
      stored: ing[0]?.events,
    };
    console.log(JSON.stringify(row));
    rows.push(
      `${String(n).padStart(9)} events: baseline ${row.baselineEventsPerSec.toLocaleString('en')} ev/s, ingest ${row.ingestEventsPerSec.toLocaleString('en')} ev/s ` +
        `(ratio ${row.ratioToBaseline}), GC ${row.ingestGcMs} ms, peak RSS ingest ${row.ingestPeakRssMiB} MiB / baseline ${row.baselinePeakRssMiB} MiB, enrichment set-up ${row.enrichmentSetupMs} ms`,
    );
  }
  console.log(`\n${rows.join('\n')}`);
  console.log('goals: ≥ 100,000 events/s on one core; peak memory flat between sizes.');
  rmSync(join(OUT, 'bench.db'), { force: true });
}

if (only.includes('isp')) {
  // Its own process, so that its memory is its own (its ISP clients run on a thread of their own there).
  const n = process.env.BENCH_INCIDENTS ?? '100000';
  const clients = process.env.BENCH_CLIENTS ?? '4';
  console.log(`\nISP API benchmark: ${n} incidents, ${clients} concurrent clients on loopback`);
  execFileSync(process.execPath, [...NODE_FLAGS, '--import', 'tsx', join(import.meta.dirname, 'isp-api.ts'), '--incidents', n, '--clients', clients, '--rounds', '2'], { stdio: 'inherit' });
}

if (only.includes('resolver')) execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'resolver.ts')], { stdio: 'inherit' });
