import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoneypotEvent, RejectedRecord } from '../../domain/event.js';
import type { ReadItem } from '../reader.js';
import { cowrieReader } from './index.js';
import { SessionTable } from './session-table.js';

const CURRENT = fileURLToPath(new URL('./fixtures/current.jsonl', import.meta.url));
const OLD = fileURLToPath(new URL('./fixtures/cowrie-2018.jsonl', import.meta.url));

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cowrie-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string, sensor?: string): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of cowrieReader.read(path, sensor !== undefined ? { sensor } : {})) out.push(item);
  return out;
}

/** One compact string per item, so a whole file's mapping reads as a list. */
function summary(items: ReadItem[]): string[] {
  return items.map((i) => {
    if (i.kind === 'event') return `${i.event.ref.line} ${i.event.stage}`;
    if (i.kind === 'reject') return `${i.reject.line} reject`;
    return `ignored ${i.ignored.kind}`;
  });
}

const events = (items: ReadItem[]): HoneypotEvent[] => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
const rejects = (items: ReadItem[]): RejectedRecord[] => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));

function writeTemp(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('cowrieReader on the current field set', () => {
  test('maps every line to one item, by stage', async () => {
    const items = await readAll(CURRENT);
    assert.deepEqual(summary(items), [
      '1 connect',
      'ignored cowrie.client.version',
      'ignored cowrie.login.failed',
      '4 exploit',
      'ignored cowrie.command.input',
      '6 offer',
      '7 download',
      '8 execution',
      // Session a1 closes with its execution already reported at line 8.
      'ignored cowrie.session.closed',
      '10 connect',
      '11 exploit',
      '12 offer',
      // Same URL as the offer of line 12.
      'ignored cowrie.session.file_download.failed',
      '14 download',
      '15 execution',
      'ignored cowrie.session.closed',
      '17 connect',
      '18 offer',
      '19 download',
      // A URL no command line named: the failure itself is the offer.
      '20 offer',
      // `wget -qO- … | sh` ran i.sh before cowrie logged its download: reported on close.
      '21 execution',
    ]);
  });

  test('fields: sensor, canonical IPs, ports and protocol carried from connect, time in UTC', async () => {
    const ev = events(await readAll(CURRENT, 'fallback-sensor'));
    const [connect, login, offer, download, execution] = ev;
    assert.deepEqual(connect, {
      key: 'hp-test-1:a1a1a1a1a1a1:cowrie.session.connect:2024-05-17T07:05:23.517Z:40001',
      format: 'cowrie',
      sensor: 'hp-test-1',
      time: '2024-05-17T07:05:23.517Z',
      srcIp: '203.0.113.5',
      srcPort: 40001,
      dstIp: '192.0.2.10',
      dstPort: 22,
      protocol: 'ssh',
      stage: 'connect',
      vulnerability: null,
      vulnerabilityRaw: null,
      sample: null,
      ref: { file: CURRENT, line: 1, row: null },
    });
    assert.equal(login?.vulnerability, 'weak-credentials');
    assert.equal(login?.vulnerabilityRaw, 'ssh-login:root');
    assert.equal(login?.srcPort, 40001);
    assert.deepEqual(offer?.sample, { md5: null, sha1: null, sha256: null, url: 'http://malware.example/bins/x86' });
    assert.match(download?.sample?.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(execution?.sample, download?.sample);

    const telnet = ev.filter((e) => e.protocol === 'telnet');
    assert.equal(telnet.length, 5);
    for (const e of telnet) {
      assert.equal(e.sensor, 'fallback-sensor', 'no sensor field: the option is used');
      assert.equal(e.srcIp, '2001:db8::beef', 'IPv6 canonical');
      assert.equal(e.dstIp, '2001:db8::10');
    }
    assert.equal(telnet[1]?.vulnerabilityRaw, 'telnet-login:admin');
    assert.equal(telnet[2]?.sample?.url, 'tftp://198.51.100.20/m.sh');
    assert.deepEqual(telnet[3]?.sample?.url, null, 'an upload has no URL');
    assert.equal(telnet[4]?.stage, 'execution');
    assert.equal(telnet[4]?.sample?.sha256, telnet[3]?.sample?.sha256);

    const last = ev.at(-1);
    assert.equal(last?.stage, 'execution');
    assert.equal(last?.time, '2024-05-17T09:00:04.000Z', 'deferred execution takes the close time');
    assert.equal(last?.sample?.url, 'http://198.51.100.30/i.sh');
    assert.match(last?.sample?.sha256 ?? '', /^[0-9a-f]{64}$/, 'upper-case shasum is lowered');
  });

  test('without sensor field or option, the sensor is "cowrie"', async () => {
    const ev = events(await readAll(CURRENT));
    assert.equal(ev.find((e) => e.protocol === 'telnet')?.sensor, 'cowrie');
  });

  test('no password reaches any item', async () => {
    const text = JSON.stringify([...(await readAll(CURRENT)), ...(await readAll(OLD))]);
    for (const pw of ['hunter2-fixture', 'admin-fixture', 'root1234-fixture', 'guest-fixture', 'guess1']) assert.ok(!text.includes(pw), pw);
  });

  test('keys are unique and do not depend on the path', async () => {
    const a = events(await readAll(CURRENT)).map((e) => e.key);
    assert.equal(new Set(a).size, a.length);
    const copy = join(dir, 'renamed-copy.json');
    copyFileSync(CURRENT, copy);
    const b = events(await readAll(copy)).map((e) => e.key);
    assert.deepEqual(b, a);
    assert.ok(a.every((k) => !k.includes('fixtures') && !k.includes(dir)));
  });
});

describe('cowrieReader on the 2018 field set', () => {
  test('system/isError/unique/duration are accepted; the transport hint gives the protocol', async () => {
    const items = await readAll(OLD);
    assert.deepEqual(summary(items), ['1 connect', '2 exploit', '3 offer', 'ignored cowrie.command.failed', '5 download', '6 execution', '7 exploit']);
    const ev = events(items);
    assert.equal(ev[2]?.sample?.url, 'http://198.51.100.40:8080/bot');
    assert.deepEqual(ev[4]?.sample, ev[3]?.sample);
    assert.equal(ev[1]?.time, '2018-05-06T17:44:07.100Z');
    // Line 7 belongs to a session whose connect line is not in the file.
    assert.equal(ev[5]?.protocol, 'telnet');
    assert.equal(ev[5]?.srcPort, null);
    assert.equal(ev[5]?.vulnerabilityRaw, 'telnet-login:guest');
  });
});

describe('cowrieReader on hostile input', () => {
  const ok = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ eventid: 'cowrie.session.connect', src_ip: '192.0.2.1', src_port: 1, dst_ip: '192.0.2.2', dst_port: 22, session: 's1', protocol: 'ssh', timestamp: '2024-01-01T00:00:00Z', ...extra });

  test('every bad line is a reject with source, line and reason; good lines around it still count', async () => {
    const lines = [
      ok(),
      '{"eventid": "cowrie.session.connect", "src_ip": ',
      '[1, 2, 3]',
      '42',
      'null',
      ok({ src_port: 'abc' }),
      ok({ src_ip: 12 }),
      ok({ timestamp: undefined }),
      ok({ timestamp: 'yesterday' }),
      ok({ eventid: 'rm -rf' }),
      JSON.stringify({ eventid: 'cowrie.login.success', username: 'root', password: 'pw-in-bad-line', message: 'login attempt [root/pw-in-bad-line] succeeded', src_ip: 'nope', session: 's1', timestamp: '2024-01-01T00:00:01Z' }),
      JSON.stringify({ eventid: 'cowrie.session.file_download', shasum: 'xyz', url: 'http://a.example/x', src_ip: '192.0.2.1', session: 's1', timestamp: '2024-01-01T00:00:02Z' }),
      JSON.stringify({ eventid: 'cowrie.command.input', input: 5, src_ip: '192.0.2.1', session: 's1', timestamp: '2024-01-01T00:00:03Z' }),
      ok({ session: 's2', src_port: 2 }),
      '',
      '{"eventid": "cowrie.login.failed", "username": "root", "password": "pw-in-cut-line", "sess',
    ];
    const path = writeTemp('hostile.json', lines.join('\r\n'));
    const items = await readAll(path);
    assert.equal(items.length, lines.length, 'records read = events + rejects + ignored');
    assert.deepEqual(summary(items), [
      '1 connect',
      '2 reject',
      '3 reject',
      '4 reject',
      '5 reject',
      '6 reject',
      '7 reject',
      '8 reject',
      '9 reject',
      '10 reject',
      '11 reject',
      '12 reject',
      '13 reject',
      '14 connect',
      'ignored blank line',
      '16 reject',
    ]);
    const reasons = rejects(items).map((r) => r.reason);
    assert.match(reasons[0] ?? '', /^invalid JSON: /);
    assert.equal(reasons[1], 'expected a JSON object, got an array');
    assert.equal(reasons[2], 'expected a JSON object, got a number');
    assert.equal(reasons[3], 'expected a JSON object, got null');
    assert.equal(reasons[4], 'src_port: expected an integer 0-65535, got "abc"');
    assert.equal(reasons[5], 'src_ip: expected an IPv4 or IPv6 address, got 12');
    assert.equal(reasons[6], 'timestamp: required, an ISO 8601 time');
    assert.equal(reasons[7], 'timestamp: expected an ISO 8601 time, got "yesterday"');
    assert.equal(reasons[8], 'eventid: expected "cowrie.<name>", got "rm -rf"');
    assert.equal(reasons[9], 'src_ip: expected an IPv4 or IPv6 address, got "nope"');
    assert.equal(reasons[10], 'shasum: expected a SHA-256 as 64 hex digits, got "xyz"');
    assert.equal(reasons[11], 'input: expected a string, got 5');
    assert.match(reasons[12] ?? '', /^invalid JSON: .*\(last line has no line end: file cut off\?\)$/);
    for (const r of rejects(items)) {
      assert.equal(r.source, path);
      assert.equal(r.format, 'cowrie');
      assert.ok(!r.raw.endsWith('\r'), 'CR is not part of the raw line');
    }
    const all = JSON.stringify(items);
    assert.ok(!all.includes('pw-in-bad-line') && !all.includes('pw-in-cut-line'), 'a rejected login keeps no password');
    assert.ok(all.includes('[removed]'));
  });

  test('non-UTF-8 bytes and a line over 1 MiB are rejected without stopping the file', async () => {
    const huge = ok({ message: 'A'.repeat(1.5 * 1024 * 1024) });
    const path = writeTemp('bytes.json', Buffer.concat([Buffer.from(`${ok()}\n`), Buffer.from('{"eventid": "cowrie.x\xff\xfe"}\n', 'latin1'), Buffer.from(`${huge}\n${ok({ session: 's3' })}\n`)]));
    const items = await readAll(path);
    assert.deepEqual(summary(items), ['1 connect', '2 reject', '3 reject', '4 connect']);
    const [bad, big] = rejects(items);
    assert.equal(bad?.reason, 'not valid UTF-8');
    assert.equal(bad?.line, 2);
    assert.match(big?.reason ?? '', /^line longer than 1048576 bytes \(\d+ bytes\)$/);
    assert.ok((big?.raw.length ?? Infinity) < 5000, 'the raw text of a huge line is cut');
  });

  test('an empty file yields nothing; a missing file throws', async () => {
    assert.deepEqual(await readAll(writeTemp('empty.json', '')), []);
    await assert.rejects(readAll(join(dir, 'does-not-exist.json')), /ENOENT/);
  });
});

describe('SessionTable', () => {
  test('drops the oldest session beyond its capacity', () => {
    const t = new SessionTable(3);
    for (const s of ['a', 'b', 'c', 'd']) t.get(s).srcPort = 1;
    assert.equal(t.size, 3);
    assert.equal(t.peek('a'), undefined);
    assert.equal(t.peek('d')?.srcPort, 1);
    t.delete('d');
    assert.equal(t.size, 2);
  });
});
