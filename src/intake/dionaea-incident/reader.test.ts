import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoneypotEvent, RejectedRecord } from '../../domain/event.js';
import type { ReadItem } from '../reader.js';
import { dionaeaIncidentReader } from './reader.js';

const INCIDENTS = fileURLToPath(new URL('./fixtures/incident.jsonl', import.meta.url));
const LOG_JSON = fileURLToPath(new URL('./fixtures/log-json.jsonl', import.meta.url));

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'cleancenter-dionaea-incident-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function readAll(path: string, sensor?: string): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of dionaeaIncidentReader.read(path, sensor === undefined ? {} : { sensor })) out.push(item);
  return out;
}

const events = (items: ReadItem[]): HoneypotEvent[] => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
const rejects = (items: ReadItem[]): RejectedRecord[] => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));
const atLine = (items: ReadItem[], line: number): HoneypotEvent | undefined => events(items).find((e) => e.ref.line === line);

describe('log_incident lines', () => {
  test('17 incidents = 10 events + 7 ignored, no rejects', async () => {
    const items = await readAll(INCIDENTS);
    assert.equal(items.length, 17);
    assert.equal(events(items).length, 10);
    assert.equal(rejects(items).length, 0);
    assert.deepEqual(
      items.flatMap((i) => (i.kind === 'ignored' ? [i.ignored.kind] : [])),
      ['dionaea.connection.tcp.listen', 'dionaea.connection.link', 'dionaea.modules.python.smb.dcerpc.bind', 'dionaea.connection.link', 'dionaea.download.complete', 'dionaea.connection.free', 'dionaea.modules.python.p0f'],
    );
  });

  test('an accepted connection is a connect event in UTC; linking it to its listener changes nothing', async () => {
    const e = atLine(await readAll(INCIDENTS), 2);
    assert.deepEqual(e, {
      key: 'dionaea:dionaea.connection.tcp.accept:2023-11-14T22:13:20.250000:1001',
      sensor: 'dionaea',
      time: '2023-11-14T22:13:20.250Z',
      srcIp: '203.0.113.5',
      srcPort: 49152,
      dstIp: '192.0.2.10',
      dstPort: 445,
      protocol: 'smb',
      stage: 'connect',
      vulnerability: null,
      vulnerabilityRaw: null,
      sample: null,
      format: 'dionaea-incident',
      ref: { file: INCIDENTS, line: 2, row: null },
    });
  });

  test('request names MS08-067; later profile, offer and download of the attack carry it', async () => {
    const items = await readAll(INCIDENTS);
    const req = atLine(items, 5);
    assert.equal(req?.stage, 'exploit');
    assert.equal(req?.vulnerability, 'MS08-067');
    assert.equal(req?.vulnerabilityRaw, '4b324fc8-1670-01d3-1278-5a47bf6ee188:31');
    const emu = atLine(items, 6);
    assert.equal(emu?.stage, 'execution');
    assert.equal(emu?.sample?.url, 'http://198.51.100.20/bot.exe');
    assert.equal(emu?.vulnerability, 'MS08-067');
    const offer = atLine(items, 7);
    assert.equal(offer?.stage, 'offer');
    assert.equal(offer?.vulnerability, 'MS08-067');
    const dl = atLine(items, 11);
    assert.equal(dl?.stage, 'download');
    assert.deepEqual(dl?.sample, { md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: null, sha256: null, url: 'http://198.51.100.20/bot.exe' });
    assert.equal(dl?.srcIp, '203.0.113.5');
  });

  test('the linked outbound download connection is attributed to the attacker, not the server', async () => {
    const e = atLine(await readAll(INCIDENTS), 9);
    assert.equal(e?.stage, 'connect');
    assert.equal(e?.srcIp, '203.0.113.5');
    assert.equal(e?.srcPort, 49152);
    assert.equal(e?.dstPort, 445);
  });

  test('logins are weak-credentials exploits; the newer "uuid (Service)" request form maps; mapped addresses unmapped', async () => {
    const items = await readAll(INCIDENTS);
    assert.equal(atLine(items, 14)?.vulnerability, 'weak-credentials');
    assert.equal(atLine(items, 14)?.srcIp, '2001:db8::7');
    const dcom = atLine(items, 17);
    assert.equal(dcom?.vulnerability, 'MS03-026');
    assert.equal(dcom?.vulnerabilityRaw, '4d9f4ab8-7d1c-11cf-861e-0020af6e7c57:0');
    assert.equal(dcom?.srcIp, '198.51.100.9');
  });

  test('keys do not depend on the path and are unique; the sensor option is used', async (t) => {
    const copy = join(tempDir(t), 'renamed.jsonl');
    copyFileSync(INCIDENTS, copy);
    const a = events(await readAll(INCIDENTS)).map((e) => e.key);
    assert.deepEqual(events(await readAll(copy)).map((e) => e.key), a);
    assert.equal(new Set(a).size, a.length);
    assert.ok(events(await readAll(INCIDENTS, 'dio-3')).every((e) => e.sensor === 'dio-3' && e.key.startsWith('dio-3:')));
  });
});

test('a UDP connect reported before its link waits for it; an unlinked one stays at face value', async (t) => {
  const con = (id: number, protocol: string, transport: string, ip: string, port: number, lport: number): object => ({ id, protocol, transport, local_ip: '192.0.2.10', local_port: lport, remote_hostname: '', remote_ip: ip, remote_port: port });
  const attacker = con(1001, 'epmapper', 'tcp', '203.0.113.5', 1025, 135);
  const tftp = con(2002, 'TftpClient', 'udp', '198.51.100.20', 69, 50000);
  const sip = con(3003, 'SipSession', 'udp', '203.0.113.8', 5066, 5060);
  const line = (ts: string, origin: string, data: object): string => JSON.stringify({ timestamp: `2023-11-14T22:13:${ts}`, name: 'dionaea', origin, data });
  const path = join(tempDir(t), 'udp.jsonl');
  writeFileSync(
    path,
    [
      line('20.000000', 'dionaea.connection.tcp.accept', { connection: attacker }),
      line('21.000000', 'dionaea.connection.udp.connect', { connection: tftp }),
      line('21.000001', 'dionaea.connection.udp.connect', { connection: sip }),
      line('21.000002', 'dionaea.connection.link', { parent: attacker, child: tftp }),
    ].join('\n') + '\n',
  );
  const items = await readAll(path);
  assert.equal(items.length, 4);
  assert.equal(atLine(items, 2)?.srcIp, '203.0.113.5', 'attributed to the attacker through the later link');
  assert.equal(atLine(items, 2)?.protocol, 'tftp');
  assert.equal(atLine(items, 3)?.srcIp, '203.0.113.8', 'no link came: face value');
});

describe('log_json lines', () => {
  test('connections become connect events, credentials make a weak-credentials exploit, listen is ignored', async () => {
    const items = await readAll(LOG_JSON);
    assert.equal(items.length, 4);
    const [smb, mysql, ftp] = events(items);
    assert.equal(smb?.time, '2024-05-17T07:05:24.106Z', 'no zone means UTC');
    assert.equal(smb?.stage, 'connect');
    assert.equal(smb?.protocol, 'smb');
    assert.equal(smb?.key, 'dionaea:json:2024-05-17T07:05:24.106767:smb:203.0.113.5:49152:192.0.2.10:445');
    assert.equal(mysql?.vulnerability, 'weak-credentials');
    assert.equal(ftp?.vulnerability, 'weak-credentials', 'non-flat credentials list');
    assert.equal(ftp?.srcIp, '2001:db8::7');
    assert.deepEqual(items[3], { kind: 'ignored', ignored: { kind: 'dionaea.json.listen' } });
  });
});

describe('hostile input', () => {
  test('every bad line is a reject with its line number and the reader carries on', async (t) => {
    const good = readFileSync(LOG_JSON, 'utf8').split('\n')[0]!;
    const accept = readFileSync(INCIDENTS, 'utf8').split('\n')[1]!;
    const lines: (string | Buffer)[] = [
      good, // 1
      '{"connection": {"protocol": "smbd", "transport": "tcp", "type": "accept"}, "src_ip": "203.0.113.5", "src_port": "abc", "dst_ip": "192.0.2.10", "dst_port": 445, "timestamp": "2024-05-17T07:05:24"}', // 2
      '{"connection": {"protocol": "smbd"', // 3 broken JSON
      '[1, 2, 3]', // 4
      Buffer.concat([Buffer.from('{"origin": "dionaea.connection.tcp.accept", "x": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), // 5
      `{"connection": {"protocol": "x", "transport": "tcp", "type": "accept"}, "src_ip": "203.0.113.5", "src_port": 1, "timestamp": "${'x'.repeat(1024 * 1024 + 10)}"}`, // 6
      '{"hello": "world"}', // 7
      accept.replace('"2023-11-14T22:13:20.250000"', '"not a time"'), // 8
      '{"timestamp": "2023-11-14T22:13:20", "name": "dionaea", "origin": "dionaea.download.offer", "data": {"url": "http://198.51.100.20/x.exe"}}', // 9
      '{"timestamp": "2023-11-14T22:13:20", "origin": "evil.origin", "data": {}}', // 10
      accept.replace('"203.0.113.5"', '"999.1.1.1"'), // 11
      '{"timestamp": "2023-11-14T22:13:20", "origin": "dionaea.download.complete.hash", "data": {"md5hash": 42, "connection": {}}}', // 12
      good.replace('"accept"', '"sideways"'), // 13
      '{"timestamp": "2023-11-14T22:13:20", "origin": "dionaea.connection.tcp.accept", "data": "nope"}', // 14
      good, // 15
      '{"connection": {"protocol": "smbd", "transport": "tcp", "type": "acc', // 16: cut-off last line, no newline
    ];
    const path = join(tempDir(t), 'hostile.jsonl');
    writeFileSync(path, Buffer.concat(lines.map((l, i) => Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from(i === lines.length - 1 ? '' : '\n')]))));
    const items = await readAll(path);
    assert.equal(items.length, 16, 'one item per line');
    const reasons = new Map(rejects(items).map((r) => [r.line, r.reason]));
    assert.deepEqual([...reasons.keys()], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]);
    assert.match(reasons.get(2)!, /src_port is not a port: "abc"/);
    assert.match(reasons.get(3)!, /invalid JSON/);
    assert.match(reasons.get(4)!, /not an object/);
    assert.match(reasons.get(5)!, /not valid UTF-8/);
    assert.match(reasons.get(6)!, /bytes long \(limit 1048576\)/);
    assert.match(reasons.get(7)!, /neither a log_incident record/);
    assert.match(reasons.get(8)!, /timestamp is not a time/);
    assert.match(reasons.get(9)!, /no connection/);
    assert.match(reasons.get(10)!, /not a dionaea incident/);
    assert.match(reasons.get(11)!, /remote_ip is not an IP address/);
    assert.match(reasons.get(12)!, /md5hash is not an MD5: 42/);
    assert.match(reasons.get(13)!, /connection.type is unknown/);
    assert.match(reasons.get(14)!, /data is not an object/);
    assert.match(reasons.get(16)!, /last line has no newline.*invalid JSON/);
    const huge = rejects(items).find((r) => r.line === 6)!;
    assert.ok(huge.raw.length <= 4096 + 40, 'oversized line kept only as a short raw');
    assert.equal(events(items).length, 2);
    for (const r of rejects(items)) assert.equal(r.source, path);
  });
});

const CORPUS = resolve(process.cwd(), '../shared/corpus/honeypots/dionaea/hary654321-dionaea.log_json.jsonl');

test('real corpus: hary654321 dionaea log_json', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus file absent: ${CORPUS}`);
    return;
  }
  const items = await readAll(CORPUS);
  const records = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  assert.equal(records, 777);
  assert.equal(items.length, records, 'records read = events + rejects + ignored');
  assert.equal(rejects(items).length, 0, rejects(items).map((r) => `${r.line}: ${r.reason}`).join('\n'));
  const ev = events(items);
  assert.equal(ev.filter((e) => e.protocol === 'http').length, 676);
  assert.equal(ev.filter((e) => e.vulnerability === 'weak-credentials').length, 13);
  assert.ok(ev.every((e) => e.time.endsWith('Z')));
});
