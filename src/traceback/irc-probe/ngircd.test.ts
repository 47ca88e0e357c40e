import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findExecutable, missingServer } from '../../testing/require-server.js';
import { probeIrc } from './probe-irc.js';

/**
 * Integration: the probe against real ngircd (Debian's package), configured after
 * ../shared/corpus/irc/ngircd-*.conf. PAM = no, because Debian builds with PAM and only without it
 * does ngircd compare PASS with [Global] Password.
 */

interface Ngircd {
  readonly port: number;
  readonly log: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitUntilAccepting(port: number, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ngircd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ngircd did not accept on port ${port} in time`);
}

async function startNgircd(binary: string, name: string, extraGlobal: string, extraOptions = ''): Promise<Ngircd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-ngircd-'));
  // Started as root, ngircd drops to "nobody" and must still write its PID file here.
  chmodSync(dir, 0o755);
  const pidFile = path.join(dir, 'ngircd.pid');
  writeFileSync(pidFile, '');
  chmodSync(pidFile, 0o666);
  const port = await freePort();
  const conf = path.join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      `\tName = ${name}`,
      '\tInfo = cleancenter probe test server',
      '\tAdminInfo1 = test',
      '\tAdminInfo2 = test',
      '\tAdminEMail = admin@example.test',
      '\tListen = 127.0.0.1',
      `\tPorts = ${port}`,
      `\tPidFile = ${pidFile}`,
      '\tMotdPhrase = "probe test"',
      extraGlobal,
      '[Limits]',
      '\tMaxConnectionsIP = 0',
      '[Options]',
      '\tIdent = no',
      '\tDNS = no',
      '\tPAM = no',
      `\tIncludeDir = ${dir}/conf.d`,
      extraOptions,
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-n', '-f', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(port, child, Date.now() + 10_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  return { port, log: () => log, stop };
}

describe('probeIrc against a real ngircd', () => {
  const binary = findExecutable('ngircd');
  const running: Ngircd[] = [];
  let open: Ngircd | undefined;
  let authPing: Ngircd | undefined;
  let closed: Ngircd | undefined;

  before(async () => {
    if (binary === null) return;
    [open, authPing, closed] = await Promise.all([
      startNgircd(binary, 'open.test.invalid', ''),
      startNgircd(binary, 'ping.test.invalid', '', '\tRequireAuthPing = yes'),
      startNgircd(binary, 'closed.test.invalid', '\tPassword = s3cret'),
    ]);
    running.push(open, authPing, closed);
  });
  after(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  test('without a Password: open, with 001', async (t) => {
    if (binary === null || open === undefined) return missingServer(t, 'ngircd not installed (apt-get install ngircd)');
    const r = await probeIrc({ host: '127.0.0.1', port: open.port, timeoutMs: 10_000, nick: 'probe1' });
    assert.equal(r.verdict, 'open', `${JSON.stringify(r)}\n${open.log()}`);
    assert.equal(r.numeric, '001');
    assert.match(r.evidence.at(-1) ?? '', /^:open\.test\.invalid 001 probe1 :Welcome to the Internet Relay Network probe1/);
  });

  test('RequireAuthPing: the PING before 001 is answered, then open', async (t) => {
    if (binary === null || authPing === undefined) return missingServer(t, 'ngircd not installed (apt-get install ngircd)');
    const r = await probeIrc({ host: '127.0.0.1', port: authPing.port, timeoutMs: 10_000 });
    assert.equal(r.verdict, 'open', `${JSON.stringify(r)}\n${authPing.log()}`);
    assert.ok(r.evidence.some((l) => /^(:\S+ )?PING /.test(l)), `expected a PING in ${JSON.stringify(r.evidence)}`);
  });

  test('with a Password: password-required, from ngircd’s ERROR (it sends no 464)', async (t) => {
    if (binary === null || closed === undefined) return missingServer(t, 'ngircd not installed (apt-get install ngircd)');
    const r = await probeIrc({ host: '127.0.0.1', port: closed.port, timeoutMs: 10_000 });
    assert.equal(r.verdict, 'password-required', `${JSON.stringify(r)}\n${closed.log()}`);
    assert.equal(r.numeric, undefined);
    assert.match(r.detail ?? '', /Access denied: Bad password\?/);
  });

  test('after ngircd stops, its port is refused', async (t) => {
    if (binary === null || open === undefined) return missingServer(t, 'ngircd not installed (apt-get install ngircd)');
    const extra = await startNgircd(binary, 'gone.test.invalid', '');
    await extra.stop();
    const r = await probeIrc({ host: '127.0.0.1', port: extra.port, timeoutMs: 5000 });
    assert.equal(r.verdict, 'refused');
  });
});
