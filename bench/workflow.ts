/**
 * Workflow benchmark (issue 3 item 9, service level; the HTTP p99 part is bench/isp-api.ts).
 * Generates N incidents for one ISP (3 events each) directly in a SQLite file, then per run, on a
 * fresh copy of that file:
 *   - streamed, as the API serves it: buildWeeklyRequestSummaries + the JSON and the CSV download
 *     through openRequestDownload                                      (goal: < 2 s for 100,000)
 *   - the whole-object path: build + getRequest + requestToJson + requestToCsv (same text)
 *   - applyAnswerUpload of N CSV answer rows                           (goal: ≥ 50,000 rows/s)
 * Prints the median of --runs runs (default 3).
 *   node --import tsx bench/workflow.ts [--incidents 100000] [--runs 3]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { openSqliteStorage } from '../src/storage/dialects/sqlite.js';
import type { EventsTable, Storage } from '../src/storage/schema.js';
import { insertMany, wdb, type IncidentObservationsTable, type IncidentsTable } from '../src/storage/repositories/workflow-tables.js';
import { observationsJson, type ObservationTuple } from '../src/workflow/episodes.js';
import { applyAnswerUpload, buildWeeklyRequestSummaries, createIsp, getRequest, openRequestDownload, requestToCsv, requestToJson } from '../src/workflow/index.js';
import { TICKET_ALPHABET } from '../src/workflow/identifiers.js';

const args = parseArgs({ options: { incidents: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } }).values;
const N = Math.min(Math.max(1, Number(args.incidents)), 2_000_000);
const RUNS = Math.min(Math.max(1, Number(args.runs)), 20);
const ISP = 'Bench Net';
const dir = mkdtempSync(join(tmpdir(), 'cc-bench-wf-'));
const template = join(dir, 'template.db');

function ip(n: number): string {
  return `2001:db8:${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}::1`;
}

async function generate(storage: Storage): Promise<void> {
  await createIsp(storage, { id: 'bench-net', name: ISP, prefixes: ['2001:db8::/32'] }, 'bench');
  const base = Date.parse('2024-05-01T00:00:00.000Z');
  const now = new Date().toISOString();
  const CHUNK = 10_000;
  for (let start = 0; start < N; start += CHUNK) {
    const events: EventsTable[] = [];
    const incidents: IncidentsTable[] = [];
    const observationRows: IncidentObservationsTable[] = [];
    for (let n = start; n < Math.min(N, start + CHUNK); n++) {
      const src = ip(n);
      const times: string[] = [];
      const observations: ObservationTuple[] = [];
      for (let k = 0; k < 3; k++) {
        const time = new Date(base + (n % 600_000) * 1000 + k * 3_600_000).toISOString();
        times.push(time);
        observations.push([time, 40000 + k, '2001:db8:ffff::1', 445, 'smb']);
        events.push({
          event_key: `b${n}:${k}`, format: 'bench', sensor: 'hp', time, src_ip: src, src_port: 40000 + k,
          dst_ip: '2001:db8:ffff::1', dst_port: 445, protocol: 'smb', stage: 'exploit', vulnerability: 'MS08-067', vulnerability_raw: null,
          sample_md5: null, sample_sha1: null, sample_sha256: null, sample_url: null, country: 'ZZ', asn: 64500, isp: ISP, ptr: null,
          source_file: 'bench', source_line: n * 3 + k, source_row: null, import_id: 'bench',
        });
      }
      incidents.push({
        incident_id: `inc_${n}`, tracking_id: randomBytes(18).toString('base64url'), ticket: ticketOf(n),
        isp_id: 'bench-net', event_isp: ISP, src_ip: src, episode: 1, first_seen: times[0] as string, last_seen: times[2] as string, attack_count: 3,
        vulnerabilities: '["MS08-067"]', bot_names: '["Bench.Bot"]', strongest_stage: 'exploit', state: 'detected', subscriber_key: null, answer_seq: 0,
        first_notice: null, previous_incident_id: null, requested_until: null, detected_at: now, requested_at: null, identified_at: null,
        not_found_at: null, not_our_customer_at: null, notified_at: null, notice_stage: 0, visited_at: null, downloaded_at: null,
        completed_at: null, remediated_at: null, reinfected_at: null, updated_at: now,
      });
      observationRows.push({ incident_id: `inc_${n}`, observations: observationsJson(observations) });
    }
    await wdb(storage).transaction().execute(async (tx) => {
      await storage.insertIgnore(tx as never, 'events', events);
      await insertMany(storage, tx, 'incidents', incidents);
      await insertMany(storage, tx, 'incident_observations', observationRows);
    });
  }
}

/** A distinct ticket per n: n written in the ticket alphabet, six digits. */
function ticketOf(n: number): string {
  let s = '';
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / 32)) s = (TICKET_ALPHABET[v % 32] as string) + s;
  return `CC-${s.slice(0, 4)}-${s.slice(4)}`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;

try {
  process.stderr.write(`generating ${N} incidents (${3 * N} events)… `);
  const g0 = performance.now();
  const seed = await openSqliteStorage(template);
  await generate(seed);
  await seed.close();
  // Keeps the generated database for a closer look (profiling, EXPLAIN).
  if (process.env.BENCH_KEEP !== undefined) copyFileSync(template, process.env.BENCH_KEEP);
  process.stderr.write(`${((performance.now() - g0) / 1000).toFixed(1)} s\n`);

  const build: number[] = [];
  const json: number[] = [];
  const csv: number[] = [];
  const answers: number[] = [];
  // CPU time (user + system, ms) of the whole request phase and of the answer upload.
  const requestCpu: number[] = [];
  const answersCpu: number[] = [];
  const streamBuild: number[] = [];
  const streamJson: number[] = [];
  const streamCsv: number[] = [];
  const streamCpu: number[] = [];
  const drain = async (chunks: AsyncIterable<string | Buffer> | null): Promise<number> => {
    if (chunks === null) throw new Error('request not found');
    let n = 0;
    for await (const chunk of chunks) n += chunk.length;
    return n;
  };
  const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  let sizes = { json: 0, csv: 0, items: 0, applied: 0 };
  for (let run = 0; run < RUNS; run++) {
    const file = join(dir, `run-${run}.db`);
    copyFileSync(template, file);
    const storage = await openSqliteStorage(file);
    try {
      // As the API serves it: build, then stream the JSON and the CSV download.
      const s0 = process.cpuUsage();
      const ts0 = performance.now();
      const [built] = await buildWeeklyRequestSummaries(storage, { ispId: 'bench-net' });
      if (built === undefined) throw new Error('no request built');
      const ts1 = performance.now();
      const jsonBytes = await drain(await openRequestDownload(storage, 'bench-net', built.requestId, 'json', { publicUrl: 'https://center.example' }));
      const ts2 = performance.now();
      const csvBytes = await drain(await openRequestDownload(storage, 'bench-net', built.requestId, 'csv', { publicUrl: 'https://center.example' }));
      const ts3 = performance.now();
      streamCpu.push(cpuMs(process.cpuUsage(s0)));
      streamBuild.push(ts1 - ts0);
      streamJson.push(ts2 - ts1);
      streamCsv.push(ts3 - ts2);

      // The whole request as one object (buildWeeklyRequests returns these), then the one-string exports.
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const req = await getRequest(storage, 'bench-net', built.requestId, { publicUrl: 'https://center.example' });
      const t1 = performance.now();
      if (req === null) throw new Error('request not found');
      const j = requestToJson(req);
      const t2 = performance.now();
      const c = requestToCsv(req);
      const t3 = performance.now();
      requestCpu.push(cpuMs(process.cpuUsage(c0)));
      build.push(ts1 - ts0 + t1 - t0);
      json.push(t2 - t1);
      csv.push(t3 - t2);
      if (j.length !== jsonBytes || c.length !== csvBytes) throw new Error(`streamed and whole downloads differ: ${jsonBytes}/${j.length}, ${csvBytes}/${c.length}`);
      const body = `tracking_id,result,subscriber_key\n${req.items.map((it, i) => `${it.trackingId},${i % 10 === 9 ? 'not-found,' : `identified,key-${i % 70_000}`}`).join('\n')}\n`;
      const c4 = process.cpuUsage();
      const t4 = performance.now();
      const r = await applyAnswerUpload(storage, 'bench-net', { body, contentType: 'text/csv', maxRows: N + 1, maxBytes: 1 << 30 }, 'bench');
      const t5 = performance.now();
      answersCpu.push(cpuMs(process.cpuUsage(c4)));
      if (!r.ok) throw new Error(`upload rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
      answers.push(t5 - t4);
      sizes = { json: j.length, csv: c.length, items: req.items.length, applied: r.applied };
    } finally {
      await storage.close();
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
    }
  }
  const b = median(build);
  const jm = median(json);
  const cm = median(csv);
  const a = median(answers);
  console.log(`workflow benchmark, SQLite, ${N} incidents, median of ${RUNS}`);
  console.log(`  whole request as one object: build + getRequest (${sizes.items} items, ${3 * sizes.items} observations): ${b.toFixed(0)} ms`);
  console.log(`  requestToJson (${(sizes.json / 2 ** 20).toFixed(1)} MiB): ${jm.toFixed(0)} ms; requestToCsv (${(sizes.csv / 2 ** 20).toFixed(1)} MiB): ${cm.toFixed(0)} ms`);
  const sb = median(streamBuild);
  const sj = median(streamJson);
  const sc = median(streamCsv);
  const scpu = median(streamCpu);
  console.log(`  streamed (as the API serves it): build ${sb.toFixed(0)} ms + JSON ${sj.toFixed(0)} ms + CSV ${sc.toFixed(0)} ms = ${(sb + sj + sc).toFixed(0)} ms wall, ${scpu.toFixed(0)} ms CPU`);
  const rc = median(requestCpu);
  const ac = median(answersCpu);
  console.log(`  build + JSON + CSV: ${(b + jm + cm).toFixed(0)} ms wall; getRequest + JSON + CSV ${rc.toFixed(0)} ms CPU (goal < 2000 ms for 100,000)`);
  console.log(`  applyAnswerUpload ${sizes.applied} rows: ${a.toFixed(0)} ms wall, ${ac.toFixed(0)} ms CPU = ${Math.round(sizes.applied / (a / 1000))} rows/s (goal ≥ 50,000)`);
  console.log(
    JSON.stringify({
      incidents: N, runs: RUNS, streamBuildMs: Math.round(sb), streamJsonMs: Math.round(sj), streamCsvMs: Math.round(sc), streamCpuMs: Math.round(scpu), buildMs: Math.round(b), jsonMs: Math.round(jm), csvMs: Math.round(cm), requestCpuMs: Math.round(rc),
      answersMs: Math.round(a), answersCpuMs: Math.round(ac), answersRowsPerSecond: Math.round(sizes.applied / (a / 1000)),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
