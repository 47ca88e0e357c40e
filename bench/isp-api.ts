/**
 * ISP API benchmark (issue 3, item 9, the API part).
 * Seeds N incidents for one ISP (2 events each, on 2001:db8::/32) through the workflow services,
 * builds the week's request, starts the center on loopback and runs C concurrent ISP clients
 * (fetch, on a thread of their own: bench/isp-clients.ts) that download the request as JSON and CSV
 * for R rounds, then upload their share of the answers as CSV, all at once. Prints the time of each phase and p50/p99 latency per call kind.
 *   node --import tsx bench/isp-api.ts [--incidents 100000] [--clients 4] [--rounds 2] [--db file|postgres://…]
 * Loopback only: the server listens on 127.0.0.1 and the clients call nothing else.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { openStorage } from '../src/storage/dialects/open.js';
import type { EventsTable } from '../src/storage/schema.js';
import * as workflow from '../src/workflow/index.js';
import { buildApp } from '../src/http/app.js';
import { answersCsv } from './answers-csv.js';

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    db: { type: 'string' },
  },
});
const N = Math.min(Math.max(1, Number(args.incidents)), 1_000_000);
const C = Math.min(Math.max(1, Number(args.clients)), 64);
const R = Math.min(Math.max(1, Number(args.rounds)), 20);
const dir = mkdtempSync(join(tmpdir(), 'cc-bench-isp-'));
const location = args.db ?? join(dir, 'bench.db');
const NOW = new Date('2024-05-08T00:00:00.000Z');
const ISP = 'Bench Net';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(1));
};
const phases: Record<string, unknown>[] = [];
// CPU time of this process since the phase began: the center's, and from the download on also the
// clients' thread's (process.cpuUsage counts every thread).
let cpuMark = process.cpuUsage();
/** Marks a phase's start for both wall time and CPU time. */
const start = (): bigint => {
  cpuMark = process.cpuUsage();
  return process.hrtime.bigint();
};
// BENCH_PROFILE=<dir>: one CPU profile per phase (<dir>/<phase>.cpuprofile), for finding where a phase spends its time.
const profileDir = process.env.BENCH_PROFILE;
const inspector = profileDir !== undefined ? new Session() : null;
if (inspector !== null) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
const report = async (phase: string, o: Record<string, unknown>): Promise<void> => {
  const cpu = process.cpuUsage(cpuMark);
  const row = { phase, ...o, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
  phases.push(row);
  console.log(JSON.stringify(row));
  // A diagnostic preload (node --import …) may offer per-statement SQLite times.
  const sqlTimes = (globalThis as { __sqlTimes?: () => string }).__sqlTimes;
  if (sqlTimes !== undefined) console.log(sqlTimes());
  if (inspector !== null && profileDir !== undefined) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(join(profileDir, `${phase}.cpuprofile`), JSON.stringify(profile));
    await inspector.post('Profiler.start');
  }
};

function ipv6(n: number): string {
  return `2001:db8::${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
}

function eventRow(n: number, k: number): EventsTable {
  const time = new Date(Date.UTC(2024, 4, 1 + k, (n % 24), n % 60, k)).toISOString();
  return {
    event_key: `bench-${n}-${k}`, format: 'bench', sensor: 'hp1', time,
    src_ip: ipv6(n), src_port: 1024 + ((n * 7 + k) % 60000), dst_ip: '2001:db8:ffff::1', dst_port: 445, protocol: 'smb',
    stage: k === 0 ? 'exploit' : 'download', vulnerability: 'MS08-067', vulnerability_raw: null,
    sample_md5: null, sample_sha1: null, sample_sha256: null, sample_url: null,
    country: 'ZZ', asn: 64500, isp: ISP, ptr: null, source_file: 'bench', source_line: n * 2 + k, source_row: null, import_id: 'bench-import',
  };
}

const storage = await openStorage(location);
// As `cleancenter serve` does: the center runs all along, tuned as a server (SQLite: WAL
// checkpoints on their own thread, off the requests' commits, and a 256 MiB page cache).
storage.tuneForServer();
try {
  console.log(`ISP API benchmark: ${N} incidents, ${C} clients, ${R} rounds, ${storage.dialect}`);
  await workflow.createIsp(storage, { id: 'bench-net', name: ISP, prefixes: ['2001:db8::/32'] }, 'bench');
  const token = (await workflow.issueIspToken(storage, 'bench-net', 'bench')).token;

  let t0 = start();
  const CHUNK = 5000;
  for (let start = 0; start < N; start += CHUNK) {
    const rows: EventsTable[] = [];
    for (let n = start; n < Math.min(N, start + CHUNK); n++) rows.push(eventRow(n, 0), eventRow(n, 1));
    await storage.db.transaction().execute((tx) => storage.insertIgnore(tx, 'events', rows));
  }
  await report('seed-events', { events: 2 * N, ms: Math.round(ms(t0)) });

  t0 = start();
  const built = await workflow.buildIncidents(storage, { gapDays: 7, now: NOW });
  await report('build-incidents', { created: built.created, ms: Math.round(ms(t0)) });

  // What the center runs on its weekly schedule: the API then streams the request, so the build does
  // not read it back (buildWeeklyRequests would, for the CLI, and costs a whole getRequest more).
  t0 = start();
  const [req] = await workflow.buildWeeklyRequestSummaries(storage, { now: NOW, ispId: 'bench-net' });
  if (req === undefined) throw new Error('no request was built');
  const buildMs = ms(t0);
  await report('build-weekly-request', { items: req.itemCount, ms: Math.round(buildMs) });

  // The services alone, without HTTP, so the API's own share of the latency shows.
  t0 = start();
  const fetched = await workflow.getRequest(storage, 'bench-net', req.requestId, { publicUrl: 'http://127.0.0.1' });
  const getMs = ms(t0);
  t0 = process.hrtime.bigint();
  const jsonText = workflow.requestToJson(fetched!);
  const jsonMs = ms(t0);
  t0 = process.hrtime.bigint();
  workflow.requestToCsv(fetched!);
  const csvMs = ms(t0);
  // As the API streams it, without HTTP.
  t0 = process.hrtime.bigint();
  let streamed = 0;
  for await (const chunk of (await workflow.openRequestDownload(storage, 'bench-net', req.requestId, 'json', { publicUrl: 'http://127.0.0.1' }))!) streamed += Buffer.byteLength(chunk);
  const streamMs = ms(t0);
  if (streamed !== Buffer.byteLength(jsonText)) throw new Error('the streamed JSON differs from requestToJson');
  await report('services-only', { streamJsonMs: Math.round(streamMs), getRequestMs: Math.round(getMs), requestToJsonMs: Math.round(jsonMs), requestToCsvMs: Math.round(csvMs), jsonMiB: Number((jsonText.length / 2 ** 20).toFixed(1)) });

  const app = await buildApp({
    storage,
    services: workflow,
    config: { publicUrl: 'http://127.0.0.1', sessionSecret: 'bench-secret-bench-secret-bench-secret', limits: { answerBytes: 64 * 1024 * 1024, answerRows: 1_000_000 } },
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // The clients run on their own thread (bench/isp-clients.ts): what is timed here is the center.
    const clients = new Worker(
      // A worker does not take the parent's --import tsx: it loads the TypeScript file through tsx's API.
      `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.tsImport(${JSON.stringify(new URL('./isp-clients.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`,
      { eval: true, workerData: { base, token, clients: C, rounds: R } },
    );
    const next = <T>(): Promise<T> => new Promise((resolve, reject) => {
      clients.once('message', resolve);
      clients.once('error', reject);
    });
    t0 = start();
    const down = await next<{ ms: number; bytes: number; lat: Record<string, number[]>; trackingIds: string[] }>();
    const { lat, trackingIds } = down;
    await report('download', {
      clients: C,
      // The goal: this week's request built (above) and downloaded as JSON by one client.
      buildPlusJsonMs: Math.round(buildMs + (lat.json![0] ?? 0)), rounds: R, ms: Math.round(down.ms), MiB: Number((down.bytes / 2 ** 20).toFixed(1)),
      listP50: pct(lat.list!, 50), listP99: pct(lat.list!, 99),
      jsonP50: pct(lat.json!, 50), jsonP99: pct(lat.json!, 99),
      csvP50: pct(lat.csv!, 50), csvP99: pct(lat.csv!, 99),
    });

    // The same answers through the service alone, on the same database, rolled back (beforeCommit throws).
    const all = answersCsv(trackingIds);
    t0 = start();
    const rollback = new Error('bench: roll back');
    let serviceMs = 0;
    try {
      await workflow.applyAnswerUpload(storage, 'bench-net', { body: all, contentType: 'text/csv', maxRows: N + 1, maxBytes: 1 << 30, beforeCommit: () => { serviceMs = ms(t0); throw rollback; } }, 'bench');
    } catch (e) {
      if (e !== rollback) throw e;
    }
    await report('services-only-upload', { rows: trackingIds.length, msBeforeCommit: Math.round(serviceMs), rowsPerSec: Math.round(trackingIds.length / (serviceMs / 1000)) });

    // Each client uploads its share of the answers as CSV, concurrently.
    t0 = start();
    clients.postMessage('upload');
    const up = await next<{ ms: number; rows: number; lat: Record<string, number[]> }>();
    await report('upload-answers', { clients: C, rows: up.rows, ms: Math.round(up.ms), rowsPerSec: Math.round(up.rows / (up.ms / 1000)), p50: pct(up.lat.upload!, 50), p99: pct(up.lat.upload!, 99) });
  } finally {
    await app.close();
  }
  console.log(`goals: request list for ${N} incidents in < 2000 ms (build + one download); answers ≥ 50,000 rows/s`);
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
