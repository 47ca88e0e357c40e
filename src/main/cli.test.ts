import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, DIALECTS, postgresUnavailable } from '../testing/databases.js';
import { missingServer } from '../testing/require-server.js';
import { openStorage } from '../storage/dialects/open.js';
import { generateEvents } from '../../bench/generate.js';
import PostalMime from 'postal-mime';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = [process.execPath, '--import', 'tsx', join(ROOT, 'src/main/cli.ts')] as const;

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CLEANCENTER_CONFIG: '', ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every stored event key and reject key, as one fingerprint of the store's content. */
async function fingerprint(location: string): Promise<{ events: number; rejects: number; samples: number; keys: string }> {
  const s = await openStorage(location);
  try {
    const ev = await s.db.selectFrom('events').select('event_key').orderBy('event_key').execute();
    const rj = await s.db.selectFrom('rejects').select('reject_key').orderBy('reject_key').execute();
    const sm = await s.db.selectFrom('samples').select('sample_key').orderBy('sample_key').execute();
    return { events: ev.length, rejects: rj.length, samples: sm.length, keys: [...ev, ...rj, ...sm].map((r) => Object.values(r)[0]).join(',') };
  } finally {
    await s.close();
  }
}

test('every command has --help', () => {
  for (const cmd of [[], ['ingest'], ['rejects'], ['samples'], ['samples', 'scan'], ['samples', 'add'], ['samples', 'counts'], ['coverage'], ['demo'], ['init'], ['formats']]) {
    const r = run([...cmd, '--help']);
    assert.equal(r.status, 0, `${cmd.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /Usage: cleancenter/);
  }
});

test('a wrong config fails at start naming the key; an unknown format is a clear error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = join(dir, 'bad.yaml');
  spawnSync('sh', ['-c', `printf 'homeCountry: jp\\nisps:\\n  - name: A\\n    prefixes: [192.0.2.1/24]\\n' > ${cfg}`]);
  const r = run(['--config', cfg, 'rejects']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /homeCountry: "jp" must be upper case/);
  assert.match(r.stderr, /isps\[0\]\.prefixes\[0\]: "192\.0\.2\.1\/24" has host bits set/);
  const u = run(['--db', join(dir, 'x.db'), 'ingest', '--format', 'nope', 'x']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /unknown format "nope"; known formats: .*cowrie/);
});

test('demo: ingests the bundled logs, the counts add up, and --json reports coverage', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = run(['demo', '--dir', dir, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { ingests: { recordsRead: number; eventsStored: number; duplicates: number; rejected: number; ignored: number }[]; coverage: { total: { seen: number; home: number } } };
  assert.equal(out.ingests.length, 5);
  for (const s of out.ingests) assert.equal(s.recordsRead, s.eventsStored + s.duplicates + s.rejected + s.ignored);
  assert.ok(out.ingests.every((s) => s.rejected > 0), 'every bundled file carries bad records on purpose');
  assert.equal(out.coverage.total.home, 4);
  assert.equal(out.coverage.total.seen, 3);
  // Past the intake: incidents and requests, an ISP client answering, staged notices as .eml files.
  const w = (out as unknown as { workflow: { incidents: { created: number }; isp: { emlFiles: string[]; answer: { applied: number }; weeks: { byStage: Record<string, number> }[] } } }).workflow;
  assert.ok(w.incidents.created > 0);
  assert.ok(w.isp.answer.applied > 0);
  assert.deepEqual(w.isp.weeks.map((wk) => Object.keys(wk.byStage)), [['1'], ['2'], ['3+']]);
  const names = w.isp.emlFiles.map((f) => f.split('/').pop() ?? '');
  for (const stage of ['stage1', 'stage2', 'stage3']) for (const lang of ['ja', 'en']) assert.ok(names.some((n) => n.includes(`${stage}-${lang}`)), `${stage} ${lang}`);
  const mail = await PostalMime.parse(readFileSync(w.isp.emlFiles[0] as string));
  assert.match(mail.subject ?? '', /Example Net/);
  assert.match(mail.text ?? '', /https:\/\/center\.example\/t\/[A-Za-z0-9_-]{22,}/);
  assert.match(mail.text ?? '', /https:\/\/center\.example\/check\?ticket=CC-/);
  // The demo leaves a config behind that every other command can use.
  const rejects = run(['--config', join(dir, 'cleancenter.yaml'), 'rejects', '--json']);
  assert.equal(rejects.status, 0, rejects.stderr);
  assert.equal((JSON.parse(rejects.stdout) as { total: number }).total, out.ingests.reduce((a, s) => a + s.rejected, 0));
});

for (const dialect of DIALECTS) {
  test(`an ingest killed part way (SIGKILL), then re-run, ends with the same store as one clean run [${dialect}]`, async (t) => {
    if (dialect === 'postgres') {
      const why = await postgresUnavailable();
      if (why !== null) return missingServer(t, why);
    }
    const dir = mkdtempSync(join(tmpdir(), 'cc-kill-'));
    const file = join(dir, 'events.jsonl');
    await generateEvents(file, 60_000, 7);
    const killed = await createTestDatabase(dialect);
    const clean = await createTestDatabase(dialect);
    t.after(async () => {
      await killed.drop();
      await clean.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const env = { ...process.env, CLEANCENTER_CONFIG: '', CLEANCENTER_DB: killed.location, CLEANCENTER_GEO_ASN_DB: join(ROOT, 'demo/geo/demo-asn.csv') };
    const child = spawn(CLI[0], [...CLI.slice(1), 'ingest', '--format', 'cc-jsonl', file], { cwd: ROOT, env, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    // Kill it once some batches are in, well before the end.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 150));
      const n = await fingerprint(killed.location).then((f) => f.events, () => 0);
      if (n > 0 || Date.now() > deadline || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    await exited;
    const partial = await fingerprint(killed.location);
    assert.ok(partial.events > 0 && partial.events < 60_000, `killed part way: ${partial.events} stored`);
    const rerun = run(['ingest', '--format', 'cc-jsonl', file], env);
    assert.equal(rerun.status, 0, rerun.stderr);
    const cleanRun = run(['ingest', '--format', 'cc-jsonl', file], { ...env, CLEANCENTER_DB: clean.location });
    assert.equal(cleanRun.status, 0, cleanRun.stderr);
    const a = await fingerprint(killed.location);
    const b = await fingerprint(clean.location);
    assert.equal(a.events, 60_000);
    assert.deepEqual(a, b);
  });
}

test('two ingest processes writing the same files into one PostgreSQL at once store each record once', async (t) => {
  const why = await postgresUnavailable();
  if (why !== null) return missingServer(t, why);
  const dir = mkdtempSync(join(tmpdir(), 'cc-two-'));
  const f1 = join(dir, 'a.jsonl');
  const f2 = join(dir, 'b.jsonl');
  await generateEvents(f1, 20_000, 1);
  await generateEvents(f2, 20_000, 2);
  const db = await createTestDatabase('postgres');
  t.after(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = { ...process.env, CLEANCENTER_CONFIG: '', CLEANCENTER_DB: db.location, CLEANCENTER_GEO_ASN_DB: join(ROOT, 'demo/geo/demo-asn.csv') };
  const runOne = (files: string[]): Promise<{ eventsStored: number; duplicates: number }> =>
    new Promise((resolve, reject) => {
      const c = spawn(CLI[0], [...CLI.slice(1), 'ingest', '--json', '--format', 'cc-jsonl', ...files], { cwd: ROOT, env });
      let out = '';
      let err = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { eventsStored: number; duplicates: number }) : reject(new Error(`exit ${code}: ${err}`))));
    });
  const [x, y] = await Promise.all([runOne([f1, f2]), runOne([f2, f1])]);
  assert.equal(x.eventsStored + y.eventsStored, 40_000);
  assert.equal(x.duplicates + y.duplicates, 40_000);
  assert.equal((await fingerprint(db.location)).events, 40_000);
});

test('traceback demo: the whole study on the synthetic world, every estimate compared with the truth', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-tb-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = run(['traceback', 'demo', '--json', '--dir', dir, '--names', '120', '--seed', '3']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { comparison: { key: string; within: boolean; why: string; interval: [number, number] | null }[] };
  assert.ok(out.comparison.length >= 8);
  for (const c of out.comparison) {
    // Each estimate lands within its stated interval, or the report says why not.
    if (!c.within) assert.ok(c.why.length > 20, `${c.key} outside its interval without a reason`);
  }
  assert.ok(out.comparison.filter((c) => c.within).length >= out.comparison.length - 2);
  const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
  assert.match(html, /<svg/);
  assert.doesNotMatch(html, /<script/i);
});
