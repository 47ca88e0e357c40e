/**
 * npm run bench:resolver — iterative resolution throughput against BIND 9.
 * Resolves 10,000 names from a cold cache through a local fake hierarchy (its servers in a child
 * process), first with our iterative resolver, then with BIND's `named` as a recursive resolver
 * over the same hierarchy (a fresh named per run, so its cache is cold too), queried for the same
 * names by a UDP load driver. Prints names/s for both and their ratio, medians of BENCH_RUNS runs
 * (default 3). Loopback only; stops by itself (each step has a time limit).
 *   NAMED=/usr/sbin/named NAMED_THREADS=1 npm run bench:resolver
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createIterativeResolver } from '../src/traceback/resolver/iterative-resolver.js';
import { BENCH_NAMES, benchNames, NAMED_IP } from './resolver-hierarchy.js';
import { udpLoad } from './udp-load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAMED = process.env.NAMED ?? '/usr/sbin/named';
const NAMED_THREADS = process.env.NAMED_THREADS;
const ROOTS = [
  { name: 'a.root-servers.test', ip: '127.0.4.1' },
  { name: 'b.root-servers.test', ip: '127.0.4.2' },
];
const children = new Set<ChildProcess>();
const killAll = (): void => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('exit', killAll);
// The whole benchmark is bounded: whatever hangs, it ends.
setTimeout(() => {
  console.error('resolver benchmark: overall time limit (15 min) reached');
  killAll();
  process.exit(2);
}, 15 * 60_000).unref();

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Starts the fake hierarchy in a child process on a free port; retries other ports when one is taken. */
async function startFake(): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'resolver-fake.ts'), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.add(child);
    const line = await withTimeout(
      new Promise<string>((resolve) => {
        const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        rl.once('line', (l) => resolve(l));
        child.once('exit', () => resolve('error exited'));
      }),
      30_000,
      'fake hierarchy start',
    );
    if (line.startsWith('ready ')) return { port, child };
    child.kill();
    children.delete(child);
  }
  throw new Error('could not start the fake hierarchy on any port');
}

async function runOurs(port: number, names: string[]): Promise<{ ms: number; ok: number }> {
  const resolver = createIterativeResolver({ rootHints: ROOTS, port, timeoutMs: 1000, retries: 2, maxInFlight: 512, perServerQps: 100_000, perServerBurst: 1000 });
  const started = performance.now();
  let ok = 0;
  const run = (async () => {
    for await (const r of resolver.resolveMany(names, { concurrency: 1000 })) if (r.status === 'ok') ok++;
  })();
  await withTimeout(run, 180_000, 'our resolver');
  const ms = performance.now() - started;
  await resolver.close();
  return { ms, ok };
}

async function runNamed(port: number, names: string[]): Promise<{ ms: number; ok: number; failed: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'cleancenter-bench-named-'));
  try {
    await writeFile(join(dir, 'root.hints'), ROOTS.map((r) => `.\t3600000\tNS\t${r.name}.\n${r.name}.\t3600000\tA\t${r.ip}\n`).join(''));
    // `port` sets the port named both listens on and sends its queries to, so it can iterate over
    // servers on a high port (BIND's own system tests work this way).
    await writeFile(
      join(dir, 'named.conf'),
      `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  port ${port};
  listen-on port ${port} { ${NAMED_IP}; };
  listen-on-v6 { none; };
  query-source address 127.0.0.1;
  recursion yes;
  allow-query { 127.0.0.0/8; };
  allow-recursion { 127.0.0.0/8; };
  dnssec-validation no;
  qname-minimization off;
  recursive-clients 20000;
  notify no;
  minimal-responses yes;
};
controls { };
logging { category default { default_stderr; }; category lame-servers { null; }; };
zone "." { type hint; file "${dir}/root.hints"; };
`,
    );
    const args = ['-g', '-c', join(dir, 'named.conf'), ...(NAMED_THREADS !== undefined ? ['-n', NAMED_THREADS] : [])];
    const named = spawn(NAMED, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(named);
    const log: string[] = [];
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        const rl = createInterface({ input: named.stderr as NodeJS.ReadableStream });
        rl.on('line', (l) => {
          log.push(l);
          // Its last start-up line is just "running" ("running on Linux…" comes first).
          if (/ running$/.test(l)) resolve();
        });
        named.once('exit', (code) => reject(new Error(`named exited (${code}): ${log.slice(-5).join(' | ')}`)));
      }),
      20_000,
      'named start',
    );
    try {
      const r = await withTimeout(udpLoad({ host: NAMED_IP, port }, names, { window: 500, timeoutMs: 2000, tries: 3 }), 180_000, 'named load');
      return { ms: r.ms, ok: r.withAddress, failed: r.failed };
    } finally {
      const exited = new Promise<void>((resolve) => named.once('exit', () => resolve()));
      named.kill('SIGTERM');
      await withTimeout(exited, 10_000, 'named stop').catch(() => named.kill('SIGKILL'));
      children.delete(named);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

const names = benchNames();
console.log(`resolver benchmark: ${BENCH_NAMES.toLocaleString('en')} names, cold cache, ${RUNS} runs, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);
const fake = await startFake();
const ours: number[] = [];
const bind: number[] = [];
const haveNamed = existsSync(NAMED);
try {
  for (let run = 1; run <= RUNS; run++) {
    const o = await runOurs(fake.port, names);
    const oRate = (o.ok / o.ms) * 1000;
    ours.push(oRate);
    let line = `run ${run}: ours ${Math.round(oRate).toLocaleString('en')} names/s (${o.ok} ok in ${Math.round(o.ms)} ms)`;
    if (haveNamed) {
      const b = await runNamed(fake.port, names);
      const bRate = (b.ok / b.ms) * 1000;
      bind.push(bRate);
      line += `; BIND ${Math.round(bRate).toLocaleString('en')} names/s (${b.ok} ok, ${b.failed} failed, in ${Math.round(b.ms)} ms)`;
    }
    console.log(line);
  }
} finally {
  fake.child.stdin?.end();
  fake.child.kill('SIGTERM');
}
const o = median(ours);
const summary: Record<string, unknown> = { names: BENCH_NAMES, runs: RUNS, oursNamesPerSec: Math.round(o) };
if (bind.length > 0) {
  const b = median(bind);
  summary.bindNamesPerSec = Math.round(b);
  summary.ratio = Number((o / b).toFixed(3));
  summary.namedThreads = NAMED_THREADS ?? 'default';
  console.log(`\nmedian: ours ${Math.round(o).toLocaleString('en')} names/s, BIND ${Math.round(b).toLocaleString('en')} names/s, ratio ${(o / b).toFixed(2)} (goal: ≥ 1)`);
} else {
  console.log(`\nmedian: ours ${Math.round(o).toLocaleString('en')} names/s; BIND not found at ${NAMED}, comparison skipped`);
}
console.log(JSON.stringify(summary));
process.exit(0);
