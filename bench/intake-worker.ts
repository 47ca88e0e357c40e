/**
 * One measurement in its own process, so that peak memory (maxRSS) belongs to it alone.
 *   node --import tsx bench/intake-worker.ts baseline|ingest FILE [DBFILE]   (BENCH_BATCH=n: events per transaction)
 * Prints one JSON line: { mode, records, events, ms, cpuMs, gcMs, maxRssMiB }.
 */
import { createReadStream, rmSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ingestFiles } from '../src/intake/ingest.js';
import { ccEventsJsonlReader } from '../src/intake/cc-events/index.js';
import { openSqliteStorage } from '../src/storage/dialects/sqlite.js';
import { defaultGeoDatabasePath, openGeoDatabase } from '../src/enrich/geo/geo-database.js';
import { defaultAsnCsvPaths, loadAsnCsv } from '../src/enrich/asn/asn-csv.js';
import { createIspLookup } from '../src/enrich/isp/isp-lookup.js';
import { createEnricher } from '../src/enrich/enricher.js';

const [mode, file, dbFile] = process.argv.slice(2);
// Time spent in garbage-collection pauses over the whole run, reported as gcMs.
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
if (!file || (mode !== 'baseline' && mode !== 'ingest')) throw new Error('usage: intake-worker.ts baseline|ingest FILE [DB]');

if (mode === 'baseline') {
  // Reading and parsing only: the floor any intake of this file has to pay.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let bytes = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    const o = JSON.parse(line) as { src_ip?: string };
    bytes += o.src_ip?.length ?? 0;
    n++;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  out({ mode, records: n, events: n, ms, cpuMs: (cpu.user + cpu.system) / 1000, check: bytes });
} else {
  const db = dbFile ?? `${file}.db`;
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  // Enrichment set-up (loading the bundled GeoLite2 and ASN tables) is reported apart from the ingest.
  const s0 = performance.now();
  const geo = await openGeoDatabase(defaultGeoDatabasePath());
  const asn = loadAsnCsv(defaultAsnCsvPaths());
  const isp = createIspLookup([{ name: 'Example Net', prefixes: ['192.0.2.0/24', '10.0.0.0/8', '100.64.0.0/10'], asns: [2516, 4713] }], asn);
  const enricher = createEnricher({ geo, asn, isp });
  const storage = await openSqliteStorage(db);
  const setupMs = performance.now() - s0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await ingestFiles({ storage, reader: ccEventsJsonlReader, paths: [file], enricher, rejectsInSummary: 5, ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await storage.close();
  out({ mode, records: s.recordsRead, events: s.eventsStored, rejected: s.rejected, ms, cpuMs: (cpu.user + cpu.system) / 1000, setupMs });
}

function out(r: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...r, gcMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}
