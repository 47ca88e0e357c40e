/**
 * One resolution run against a real authoritative server (NSD from Debian): the fake root
 * delegates "test" to nsd, nsd answers for names in "test" and delegates "sub.test" back to a
 * fake server. This checks the resolver against a real server's packets (compression, SOA in
 * negative answers, referral layout), not only against our own fake.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { findExecutable, missingServer } from '../../testing/require-server.js';
import { createIterativeResolver, startFakeHierarchy } from './index.js';
import type { FakeHierarchySpec } from './index.js';

const NSD_IP = '127.0.0.90';
const SUB_IP = '127.0.0.91';

const TEST_ZONE = `$ORIGIN test.
$TTL 3600
@         IN SOA ns1.nic.test. hostmaster.nic.test. 1 3600 600 86400 60
@         IN NS  ns1.nic.test.
ns1.nic   IN A   ${NSD_IP}
www.c2    IN A   192.0.2.10
www.c2    IN A   192.0.2.11
alias     IN CNAME www.c2.test.
far       IN CNAME www.other.example.
txt       IN TXT "no address"
sub       IN NS  ns.sub.test.
ns.sub    IN A   ${SUB_IP}
`;

function nsdConfig(dir: string, port: number): string {
  return `server:
  ip-address: ${NSD_IP}@${port}
  port: ${port}
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  database: ""
  zonelistfile: "${dir}/zone.list"
  xfrdfile: "${dir}/xfrd.state"
  xfrdir: "${dir}"
  pidfile: "${dir}/nsd.pid"
  logfile: "${dir}/nsd.log"
  do-ip6: no
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "test"
  zonefile: "test.zone"
`;
}

/** Asks nsd for the SOA of "test" until it answers, so the test does not race its start-up. */
async function waitForNsd(port: number, child: ChildProcess, deadlineMs: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  try {
    const query = dnsPacket.encode({ type: 'query', id: 4242, questions: [{ type: 'SOA', name: 'test', class: 'IN' }] });
    const start = Date.now();
    while (Date.now() - start < deadlineMs && child.exitCode === null) {
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          socket.off('message', onMessage);
          resolve(false);
        }, 200);
        const onMessage = (): void => {
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(true);
        };
        socket.on('message', onMessage);
        socket.send(query, port, NSD_IP);
      });
      if (answered) return true;
    }
    return false;
  } finally {
    socket.close();
  }
}

test('resolves through a real NSD serving the "test" zone', async (t) => {
  const nsd = findExecutable('nsd');
  if (nsd === null) {
    missingServer(t, 'nsd is not installed (Debian package nsd)');
    return;
  }
  const spec: FakeHierarchySpec = {
    zones: [
      { zone: '.', servers: [{ name: 'a.root-servers.test', ip: '127.0.0.2' }] },
      { zone: 'test', external: true, servers: [{ name: 'ns1.nic.test', ip: NSD_IP }] },
      { zone: 'sub.test', servers: [{ name: 'ns.sub.test', ip: SUB_IP }], records: [{ name: 'www.sub.test', type: 'A', value: '203.0.113.50' }] },
      { zone: 'example', servers: [{ name: 'ns.nic.example', ip: '127.0.0.11' }] },
      { zone: 'other.example', servers: [{ name: 'ns1.other.example', ip: '127.0.0.21' }], records: [{ name: 'www.other.example', type: 'A', value: '198.51.100.7' }] },
    ],
  };
  const h = await startFakeHierarchy(spec);
  const dir = mkdtempSync(join(tmpdir(), 'cleancenter-nsd-'));
  writeFileSync(join(dir, 'test.zone'), TEST_ZONE);
  writeFileSync(join(dir, 'nsd.conf'), nsdConfig(dir, h.port));
  const child = spawn(nsd, ['-d', '-c', join(dir, 'nsd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const r = createIterativeResolver({ rootHints: h.rootHints, port: h.port, timeoutMs: 1000, retries: 1 });
  try {
    const up = await waitForNsd(h.port, child, 15_000);
    const log = existsSync(join(dir, 'nsd.log')) ? readFileSync(join(dir, 'nsd.log'), 'utf8') : '';
    assert.ok(up, `nsd did not answer on ${NSD_IP}:${h.port}\n${output}\n${log}`);

    const www = await r.resolve('www.c2.test');
    assert.equal(www.status, 'ok', www.error ?? '');
    assert.deepEqual(www.authServer, { name: 'ns1.nic.test', ip: NSD_IP });
    assert.deepEqual([...www.addresses].sort(), ['192.0.2.10', '192.0.2.11']);
    assert.ok(www.firstAddress !== null && www.addresses[0] === www.firstAddress);
    assert.deepEqual(www.delegationPath.map((s) => s.zone), ['.', 'test']);

    const alias = await r.resolve('alias.test');
    assert.equal(alias.status, 'ok');
    assert.deepEqual(alias.cnameChain, ['www.c2.test']);

    const far = await r.resolve('far.test');
    assert.equal(far.status, 'ok');
    assert.deepEqual(far.cnameChain, ['www.other.example']);
    assert.equal(far.firstAddress, '198.51.100.7');
    assert.equal(far.authServer?.ip, '127.0.0.21');

    const sub = await r.resolve('www.sub.test');
    assert.equal(sub.status, 'ok');
    assert.deepEqual(sub.delegationPath.map((s) => [s.zone, s.server.ip]), [['.', '127.0.0.2'], ['test', NSD_IP], ['sub.test', SUB_IP]]);
    assert.equal(sub.firstAddress, '203.0.113.50');

    const nx = await r.resolve('nope.test');
    assert.equal(nx.status, 'nxdomain');
    assert.equal(nx.authServer?.ip, NSD_IP);

    const nodata = await r.resolve('txt.test');
    assert.equal(nodata.status, 'nodata');
  } finally {
    await r.close();
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
