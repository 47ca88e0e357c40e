import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../storage/dialects/open.js';
import { event, insertEvents } from '../../workflow/test-support.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cli(db: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli.ts'), '--db', db, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CLEANCENTER_CONFIG: '' },
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('center workflow from the command line: ISP, incidents, request export, answers, operator', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-wf-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'c.db');

  const add = cli(db, ['isp-admin', 'add', '--name', 'Example Net', '--prefix', '192.0.2.0/24', '--asn', 'AS64500', '--token', '--json']);
  assert.equal(add.status, 0, add.stderr);
  assert.match((JSON.parse(add.stdout) as { token: string }).token, /^cc_isp_/);
  assert.equal(cli(db, ['isp-admin', 'add', '--name', 'Bad', '--prefix', '192.0.2.1/24']).status, 2);

  const s = await openStorage(db);
  await insertEvents(s, [event('2024-05-01T10:00:00.000Z', '192.0.2.10', 'Example Net', { src_port: 40001 }), event('2024-05-02T10:00:00.000Z', '192.0.2.11', 'Example Net')]);
  await s.close();

  const built = cli(db, ['incidents', 'build', '--json']);
  assert.equal(built.status, 0, built.stderr);
  assert.equal((JSON.parse(built.stdout) as { created: number }).created, 2);
  const reqs = cli(db, ['requests', 'build', '--json']);
  const [req] = JSON.parse(reqs.stdout) as { requestId: string; items: number }[];
  assert.equal(req?.items, 2);

  const csvFile = join(dir, 'req.csv');
  assert.equal(cli(db, ['requests', 'export', req?.requestId as string, '--format', 'csv', '--out', csvFile]).status, 0);
  const lines = readFileSync(csvFile, 'utf8').trim().split('\r\n');
  assert.equal(lines.length, 3);
  const tracking = lines.find((l) => l.includes(',192.0.2.10,'))?.split(',')[0] as string;
  assert.ok(lines.some((l) => l.endsWith(',192.0.2.10,2024-05-01T10:00:00.000Z,40001,203.0.113.1,445,smb')));
  const xarf = JSON.parse(cli(db, ['requests', 'export', req?.requestId as string, '--format', 'xarf']).stdout) as { type: string }[];
  assert.deepEqual(xarf.map((x) => x.type), ['botnet', 'botnet']);
  assert.equal(cli(db, ['requests', 'export', 'req_nope']).status, 2);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `tracking_id,result,subscriber_key\n${tracking},identified,key-1\n${tracking},not-found,\n`);
  const rejected = cli(db, ['answers', 'import', '--isp', 'example-net', bad]);
  assert.equal(rejected.status, 2);
  assert.match(rejected.stdout, /duplicate/);
  const good = join(dir, 'good.csv');
  writeFileSync(good, `tracking_id,result,subscriber_key\n${tracking},identified,key-1\n`);
  const applied = cli(db, ['answers', 'import', '--isp', 'example-net', good]);
  assert.equal(applied.status, 0, applied.stderr);
  assert.match(applied.stdout, /1 answer\(s\) accepted/);
  const list = JSON.parse(cli(db, ['incidents', 'list', '--state', 'identified', '--json']).stdout) as { total: number };
  assert.equal(list.total, 1);

  // The password comes from standard input and never appears in the process arguments.
  const op = cli(db, ['operator', 'add', 'alice'], 'a long enough password\n');
  assert.equal(op.status, 0, op.stderr);
  assert.equal(cli(db, ['operator', 'add', 'bob'], '').status, 2);
});
