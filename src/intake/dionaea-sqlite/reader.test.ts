import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { HoneypotEvent, RejectedRecord } from '../../domain/event.js';
import type { ReadItem } from '../reader.js';
import { dionaeaSqliteReader } from './reader.js';

const FIXTURE_SQL = readFileSync(new URL('./fixtures/logsql.sql', import.meta.url), 'utf8');

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'cleancenter-dionaea-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function buildDb(path: string, extra = ''): string {
  const db = new Database(path);
  db.exec(FIXTURE_SQL + extra);
  db.close();
  return path;
}

async function readAll(path: string, sensor?: string): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of dionaeaSqliteReader.read(path, sensor === undefined ? {} : { sensor })) out.push(item);
  return out;
}

const events = (items: ReadItem[]): HoneypotEvent[] => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
const rejects = (items: ReadItem[]): RejectedRecord[] => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));
const byRow = (items: ReadItem[], row: string): HoneypotEvent | undefined => events(items).find((e) => e.ref.row === row);

describe('dionaea log_sqlite reader on the synthetic fixture', () => {
  test('one item per row: 32 rows = 16 events + 11 rejects + 5 ignored', async (t) => {
    const items = await readAll(buildDb(join(tempDir(t), 'logsql.sqlite')));
    assert.equal(items.length, 32);
    assert.equal(events(items).length, 16);
    assert.equal(rejects(items).length, 11);
    assert.deepEqual(
      items.flatMap((i) => (i.kind === 'ignored' ? [i.ignored.kind] : [])).sort(),
      ['dionaea.connection.listen', 'dionaea.dcerpcbind', 'dionaea.dcerpcbind', 'dionaea.dcerpcbind', 'dionaea.dcerpcbind'],
    );
  });

  test('an inbound connection becomes a connect event in UTC with the dionaea protocol mapped', async (t) => {
    const path = buildDb(join(tempDir(t), 'logsql.sqlite'));
    const e = byRow(await readAll(path), 'connections:1');
    assert.deepEqual(e, {
      key: 'dionaea:1700000000.25@192.0.2.10:connections:1',
      format: 'dionaea-sqlite',
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
      ref: { file: path, line: null, row: 'connections:1' },
    });
  });

  test('the child TFTP connection and its download are attributed to the attacker of the root', async (t) => {
    const items = await readAll(buildDb(join(tempDir(t), 'logsql.sqlite')));
    const child = byRow(items, 'connections:2');
    assert.equal(child?.srcIp, '203.0.113.5');
    assert.equal(child?.srcPort, 49152);
    assert.equal(child?.protocol, 'tftp');
    assert.equal(child?.time, '2023-11-14T22:13:23.500Z');
    const download = byRow(items, 'downloads:1');
    assert.equal(download?.stage, 'download');
    assert.equal(download?.srcIp, '203.0.113.5');
    assert.equal(download?.time, '2023-11-14T22:13:24.000Z', 'download_timestamp wins over the connection time');
    assert.deepEqual(download?.sample, { md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: null, sha256: null, url: 'tftp://198.51.100.20/bot.exe' });
    // the request that named the vulnerability was on the parent connection
    assert.equal(download?.vulnerability, 'MS08-067');
  });

  test('DCE/RPC requests carry the named vulnerability and always the raw uuid:opnum', async (t) => {
    const items = await readAll(buildDb(join(tempDir(t), 'logsql.sqlite')));
    const expected: Record<string, [string | null, string]> = {
      'dcerpcrequests:1': ['MS08-067', '4b324fc8-1670-01d3-1278-5a47bf6ee188:31'],
      'dcerpcrequests:2': [null, '4b324fc8-1670-01d3-1278-5a47bf6ee188:15'],
      'dcerpcrequests:3': ['MS03-026', '4d9f4ab8-7d1c-11cf-861e-0020af6e7c57:0'],
      'dcerpcrequests:4': ['MS04-012', '000001a0-0000-0000-c000-000000000046:4'],
      'dcerpcrequests:5': ['MS04-011', '3919286a-b10c-11d0-9ba8-00c04fd92ef5:9'],
    };
    for (const [row, [vuln, raw]] of Object.entries(expected)) {
      const e = byRow(items, row);
      assert.equal(e?.stage, 'exploit', row);
      assert.equal(e?.vulnerability, vuln, row);
      assert.equal(e?.vulnerabilityRaw, raw, row);
    }
    assert.equal(byRow(items, 'dcerpcrequests:5')?.srcIp, '2001:db8::7');
  });

  test('emu profile with URLDownloadToFile + WinExec is an execution; offers and logins map too', async (t) => {
    const items = await readAll(buildDb(join(tempDir(t), 'logsql.sqlite')));
    const emu = byRow(items, 'emu_profiles:1');
    assert.equal(emu?.stage, 'execution');
    assert.equal(emu?.sample?.url, 'http://198.51.100.20/bot.exe');
    assert.equal(emu?.vulnerability, 'MS08-067');
    const offer = byRow(items, 'offers:2');
    assert.equal(offer?.stage, 'offer');
    assert.equal(offer?.sample?.url, 'tftp://203.0.113.6/x.exe');
    assert.equal(offer?.vulnerability, 'MS03-026', 'first mapped request of the connection');
    const login = byRow(items, 'logins:1');
    assert.equal(login?.stage, 'exploit');
    assert.equal(login?.vulnerability, 'weak-credentials');
    assert.equal(login?.srcIp, '198.51.100.9', 'IPv4-mapped address unmapped');
    const sip = byRow(items, 'connections:6');
    assert.equal(sip?.srcIp, '203.0.113.8', 'an unlinked connect is taken at face value');
  });

  test('bad rows are rejected with row reference and reason', async (t) => {
    const path = buildDb(join(tempDir(t), 'logsql.sqlite'));
    const got = rejects(await readAll(path));
    const reasons = new Map(got.map((r) => [r.row, r.reason]));
    assert.match(reasons.get('connections:8') ?? '', /remote_host is not an IP address: "not-an-ip"/);
    assert.match(reasons.get('connections:9') ?? '', /connection_timestamp is not an epoch time: "yesterday"/);
    assert.match(reasons.get('connections:10') ?? '', /remote_port is not a port: 70000/);
    assert.match(reasons.get('connections:11') ?? '', /linked to no inbound connection/);
    assert.match(reasons.get('connections:12') ?? '', /outside 2000–2100/);
    assert.match(reasons.get('dcerpcrequests:6') ?? '', /connection 99 is not in the connections table/);
    assert.match(reasons.get('dcerpcrequests:7') ?? '', /opnum is not an operation number/);
    assert.match(reasons.get('dcerpcrequests:8') ?? '', /5000 characters long/);
    assert.match(reasons.get('emu_profiles:2') ?? '', /not JSON/);
    assert.match(reasons.get('offers:3') ?? '', /offer_url is not a URL: NULL/);
    assert.match(reasons.get('downloads:2') ?? '', /not an MD5/);
    for (const r of got) {
      assert.equal(r.source, path);
      assert.equal(r.line, null);
      assert.ok(r.raw.length > 0 && r.raw.length < 5000, `raw kept and bounded for ${r.row}`);
    }
  });

  test('keys do not depend on the path; the sensor option is used', async (t) => {
    const dir = tempDir(t);
    const a = buildDb(join(dir, 'a.sqlite'));
    const b = join(dir, 'renamed-copy.sqlite');
    copyFileSync(a, b);
    const ka = events(await readAll(a)).map((e) => e.key);
    const kb = events(await readAll(b)).map((e) => e.key);
    assert.deepEqual(ka, kb);
    assert.equal(new Set(ka).size, ka.length, 'keys are unique');
    const other = events(await readAll(a, 'sensor-7'));
    assert.equal(other[0]?.sensor, 'sensor-7');
    assert.ok(other[0]?.key.startsWith('sensor-7:'));
  });
});

describe('dionaea log_sqlite reader on broken files', () => {
  test('a non-SQLite file becomes one reject, not a crash', async (t) => {
    const path = join(tempDir(t), 'notes.sqlite');
    writeFileSync(path, 'this is a text file, not a database\n'.repeat(200));
    const items = await readAll(path);
    assert.equal(items.length, 1);
    assert.match(rejects(items)[0]?.reason ?? '', /not a readable SQLite database: file is not a database/);
  });

  test('an empty file or another SQLite database is not a dionaea database', async (t) => {
    const dir = tempDir(t);
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    assert.match(rejects(await readAll(empty))[0]?.reason ?? '', /no connections table/);
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    assert.match(rejects(await readAll(other))[0]?.reason ?? '', /no connections table/);
  });

  test('a table without the expected columns is rejected as a whole, the rest is read', async (t) => {
    const path = join(tempDir(t), 'odd.sqlite');
    const db = new Database(path);
    db.exec(FIXTURE_SQL.replace(/CREATE TABLE offers \([^;]*;/, 'CREATE TABLE offers (offer INTEGER PRIMARY KEY, connection INTEGER, url TEXT);').replace(/INSERT INTO offers VALUES \(\d+, \d+, [^;]*\);/g, ''));
    db.close();
    const items = await readAll(path);
    assert.ok(rejects(items).some((r) => r.row === 'offers' && /lacks column\(s\) offer_url/.test(r.reason)));
    assert.equal(events(items).length, 14);
  });

  test('a database truncated at half its size yields what is readable and a reject, never a throw', async (t) => {
    const path = join(tempDir(t), 'big.sqlite');
    const rows = Array.from({ length: 3000 }, (_, i) => `(${100 + i}, 'accept', 'tcp', 'smbd', ${1700001000 + i}, NULL, NULL, '192.0.2.10', 445, '203.0.113.${i % 250}', '', ${1024 + i})`);
    buildDb(path, `INSERT INTO connections VALUES ${rows.join(',\n')};`);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const items = await readAll(path);
    const bad = rejects(items);
    assert.ok(bad.some((r) => /malformed|unreadable|not a readable/i.test(r.reason)), bad.map((r) => r.reason).join('\n'));
    for (const i of items) assert.ok(i.kind === 'event' || i.kind === 'reject' || i.kind === 'ignored');
  });

  test('a missing file throws (the caller records it)', async (t) => {
    await assert.rejects(readAll(join(tempDir(t), 'absent.sqlite')));
  });
});

const CORPUS = resolve(process.cwd(), '../shared/corpus/honeypots/dionaea/maniactwister-logsql.sqlite');

test('real corpus: maniactwister logsql.sqlite', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`corpus file absent: ${CORPUS}`);
    return;
  }
  const items = await readAll(CORPUS);
  const perTable = new Map<string, number>();
  for (const i of items) {
    const row = i.kind === 'event' ? i.event.ref.row : i.kind === 'reject' ? i.reject.row : null;
    const table = i.kind === 'ignored' ? i.ignored.kind : (row ?? 'file').split(':')[0]!;
    perTable.set(table, (perTable.get(table) ?? 0) + 1);
  }
  assert.equal(perTable.get('connections'), 2551);
  assert.equal(perTable.get('downloads'), 12);
  assert.equal(perTable.get('offers'), 27);
  assert.equal(perTable.get('dcerpcrequests'), 62);
  assert.equal(perTable.get('emu_profiles'), 27);
  assert.equal(perTable.get('dionaea.dcerpcbind'), 353);
  const ev = events(items);
  assert.equal(ev.filter((e) => e.ref.row?.startsWith('dcerpcrequests:') && e.vulnerability === 'MS08-067').length, 29);
  assert.equal(rejects(items).length, 0, rejects(items).map((r) => `${r.row}: ${r.reason}`).join('\n'));
  assert.equal(ev.filter((e) => e.stage === 'download').length, 12);
  for (const e of ev.filter((x) => x.stage === 'download')) assert.match(e.sample?.md5 ?? '', /^[0-9a-f]{32}$/);
  assert.equal(ev.filter((e) => e.stage === 'execution').length, 27);
});
