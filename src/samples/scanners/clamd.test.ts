import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, missingServer } from '../../testing/require-server.js';
import { createClamdScanner, type ClamdAddress } from './clamd.js';
import { CLEAN_FILE, TEST_BODY_MARK, TEST_BOT, writeTestClamavDb } from './test-clamav-db.js';

const START_LIMIT_MS = 60_000;
const STREAM_MAX = 1024 * 1024;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

test('clamd (real daemon, private signature database)', { timeout: 120_000 }, async (t) => {
  const bin = findExecutable('clamd');
  if (bin === null) return missingServer(t, 'clamd not installed (apt-get install clamav-daemon)');

  const dir = await mkdtemp(join(tmpdir(), 'cc-clamd-'));
  const port = await freePort();
  const socketPath = join(dir, 'clamd.sock');
  await writeTestClamavDb(dir);
  // No User directive: as root clamd keeps running as root and can read the temp dir; as a normal
  // user it cannot switch users anyway.
  await writeFile(
    join(dir, 'clamd.conf'),
    [
      'Foreground yes',
      `DatabaseDirectory ${dir}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `LocalSocket ${socketPath}`,
      `LogFile ${join(dir, 'clamd.log')}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      `StreamMaxLength ${STREAM_MAX}`,
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  const files = {
    bot: join(dir, 'bot.bin'),
    body: join(dir, 'body.bin'),
    clean: join(dir, 'clean.bin'),
    big: join(dir, 'big.bin'),
  };
  await writeFile(files.bot, TEST_BOT);
  await writeFile(files.body, Buffer.concat([Buffer.alloc(5000, 0x90), TEST_BODY_MARK, Buffer.alloc(77, 0x90)]));
  await writeFile(files.clean, CLEAN_FILE);
  await writeFile(files.big, Buffer.alloc(STREAM_MAX + 100_000, 0x41));

  let output = '';
  const child = spawn(bin, ['-c', join(dir, 'clamd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const tcp: ClamdAddress = { host: '127.0.0.1', port };
    const unix: ClamdAddress = { socketPath };
    const probe = createClamdScanner({ address: tcp, timeoutMs: 2000 });
    const deadline = Date.now() + START_LIMIT_MS;
    while (!(await probe.ping())) {
      if (child.exitCode !== null) assert.fail(`clamd exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) assert.fail(`clamd did not answer PING within ${START_LIMIT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    for (const [label, address] of [['tcp', tcp], ['unix socket', unix]] as const) {
      await t.test(`over ${label}`, async () => {
        const s = createClamdScanner({ address, timeoutMs: 30_000 });
        assert.equal(await s.ping(), true);
        assert.match(await s.version(), /^ClamAV \d+\.\d+/);

        const bot = await s.scan({ path: files.bot, md5: null, sha1: null, sha256: null });
        assert.equal(bot.verdict, 'known', bot.detail ?? '');
        // clamd appends ".UNOFFICIAL" to signatures from a non-official database.
        assert.match(bot.signature ?? '', /^Cleancenter\.Test\.Bot(\.UNOFFICIAL)?$/);

        const body = await s.scan({ path: files.body, md5: null, sha1: null, sha256: null });
        assert.equal(body.verdict, 'known', body.detail ?? '');
        assert.match(body.signature ?? '', /^Cleancenter\.Test\.Body/);

        const clean = await s.scan({ path: files.clean, md5: null, sha1: null, sha256: null });
        assert.deepEqual([clean.verdict, clean.signature, clean.detail], ['unknown', null, null]);

        const big = await s.scan({ path: files.big, md5: null, sha1: null, sha256: null });
        assert.equal(big.verdict, 'error');
        assert.match(big.detail ?? '', /size limit exceeded/);
      });
    }

    await t.test('tiny chunks still reassemble into the detected file', async () => {
      const s = createClamdScanner({ address: unix, chunkSize: 7, timeoutMs: 30_000 });
      const v = await s.scan({ path: files.body, md5: null, sha1: null, sha256: null });
      assert.equal(v.verdict, 'known', v.detail ?? '');
    });
  } finally {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
});
