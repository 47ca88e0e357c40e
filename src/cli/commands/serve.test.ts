import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../main/cli.ts', import.meta.url).pathname;

test('cleancenter serve --port 0 --json listens on loopback, answers, logs no token, stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-serve-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--db', join(dir, 'c.db'), 'serve', '--host', '127.0.0.1', '--port', '0', '--json'], {
    cwd: process.cwd(),
    env: { ...process.env, CLEANCENTER_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('}') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    assert.ok(out.includes('}'), `no address printed; stderr: ${err}`);
    const { url } = JSON.parse(out) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/isp/v1/requests`, { headers: { authorization: 'Bearer secret-token-value-123' } });
    assert.equal(res.status, 401);
    assert.equal((await fetch(`${url}/check`)).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    assert.ok(!err.includes('secret-token-value-123'), 'the token is not logged');
    assert.match(err, /"url":"\/api\/isp\/v1\/requests"/, 'requests are logged, on stderr');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
