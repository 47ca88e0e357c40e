import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoneypotEvent, RejectedRecord } from '../../domain/event.js';
import type { HoneypotReader, ReadItem } from '../reader.js';
import { ccEventsCsvReader, ccEventsJsonlReader, splitCsvLine } from './index.js';

const GOOD_JSONL = fileURLToPath(new URL('./fixtures/good.jsonl', import.meta.url));
const GOOD_CSV = fileURLToPath(new URL('./fixtures/good.csv', import.meta.url));

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-events-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(reader: HoneypotReader, path: string, sensor?: string): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of reader.read(path, sensor !== undefined ? { sensor } : {})) out.push(item);
  return out;
}
const events = (items: ReadItem[]): HoneypotEvent[] => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
const rejects = (items: ReadItem[]): RejectedRecord[] => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));
/** "line: reason" for each reject, or "line: event" / "ignored kind". */
const outline = (items: ReadItem[]): string[] =>
  items.map((i) => (i.kind === 'event' ? `${i.event.ref.line}: ${i.event.stage}` : i.kind === 'reject' ? `${i.reject.line}: ${i.reject.reason}` : `ignored ${i.ignored.kind}`));

let n = 0;
function temp(content: string | Buffer, ext: string): string {
  const path = join(dir, `t${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

describe('cc-jsonl and cc-csv on good files', () => {
  test('JSONL: values are normalised', async () => {
    const items = await readAll(ccEventsJsonlReader, GOOD_JSONL);
    assert.equal(items.length, 5);
    const [connect, exploit, offer, download, execution] = events(items);
    assert.deepEqual(connect, {
      key: 'edge-1:id:r-1',
      format: 'cc-jsonl',
      sensor: 'edge-1',
      time: '2024-05-17T07:05:23.517Z',
      srcIp: '203.0.113.5',
      srcPort: 40001,
      dstIp: '192.0.2.10',
      dstPort: 445,
      protocol: 'smb',
      stage: 'connect',
      vulnerability: null,
      vulnerabilityRaw: null,
      sample: null,
      ref: { file: GOOD_JSONL, line: 1, row: null },
    });
    assert.equal(exploit?.vulnerability, 'MS08-067');
    assert.equal(exploit?.vulnerabilityRaw, '4b324fc8-1670-01d3-1278-5a47bf6ee188:31');
    assert.equal(offer?.key, 'edge-1:id:3');
    assert.equal(offer?.time, '2024-05-17T07:05:25.000Z', 'epoch seconds');
    assert.deepEqual(offer?.sample, { md5: null, sha1: null, sha256: null, url: 'http://203.0.113.5:5678/x.exe' });
    assert.equal(download?.time, '2024-05-17T07:05:26.250Z');
    assert.equal(download?.srcIp, '203.0.113.5', 'IPv4-mapped IPv6 becomes IPv4');
    assert.equal(download?.dstIp, null, 'an empty value counts as absent');
    assert.equal(download?.sample?.md5, 'd41d8cd98f00b204e9800998ecf8427e', 'hashes are lowercased');
    assert.match(download?.key ?? '', /^edge-1:content:[0-9a-f]{32}$/);
    assert.equal(execution?.srcIp, '2001:db8::7');
    assert.equal(execution?.sample?.sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  test('CSV in another column order gives the same events and keys as JSONL', async () => {
    const items = await readAll(ccEventsCsvReader, GOOD_CSV);
    assert.deepEqual(outline(items), ['ignored csv header', '2: connect', '3: exploit', '4: offer', '5: download', '6: execution']);
    const strip = (e: HoneypotEvent) => ({ ...e, format: '', ref: null });
    const fromJsonl = events(await readAll(ccEventsJsonlReader, GOOD_JSONL));
    assert.deepEqual(events(items).map(strip), fromJsonl.map(strip));
    assert.equal(events(items)[0]?.format, 'cc-csv');
  });

  test('keys do not depend on the path', async () => {
    for (const [reader, file, ext] of [
      [ccEventsJsonlReader, GOOD_JSONL, 'jsonl'],
      [ccEventsCsvReader, GOOD_CSV, 'csv'],
    ] as const) {
      const copy = join(dir, `renamed.${ext}`);
      copyFileSync(file, copy);
      const a = events(await readAll(reader, file)).map((e) => e.key);
      const b = events(await readAll(reader, copy)).map((e) => e.key);
      assert.deepEqual(b, a);
      assert.equal(new Set(a).size, a.length);
    }
  });

  test('the content key changes with the content', async () => {
    const base = { sensor: 's', time: '2024-01-01T00:00:00Z', src_ip: '192.0.2.1', protocol: 'tcp', stage: 'connect' };
    const path = temp([base, { ...base, src_port: 1 }, { ...base, time: '2024-01-01T01:00:00+01:00' }].map((o) => JSON.stringify(o)).join('\n'), 'jsonl');
    const [a, b, c] = events(await readAll(ccEventsJsonlReader, path)).map((e) => e.key);
    assert.notEqual(a, b);
    assert.equal(a, c, 'the same instant written in another zone is the same record');
  });

  test('the sensor may come from the options instead of the record', async () => {
    const path = temp('time,src_ip,protocol,stage\n2024-01-01T00:00:00Z,192.0.2.1,tcp,connect\n', 'csv');
    assert.equal(events(await readAll(ccEventsCsvReader, path, 'opt-sensor'))[0]?.sensor, 'opt-sensor');
    const bad = await readAll(ccEventsCsvReader, path);
    assert.deepEqual(outline(bad), ['1: header: missing column sensor; the file was not read']);
    const jsonl = temp('{"time":"2024-01-01T00:00:00Z","src_ip":"192.0.2.1","protocol":"tcp","stage":"connect"}\n', 'jsonl');
    assert.deepEqual(outline(await readAll(ccEventsJsonlReader, jsonl)), ['1: sensor: required (the record has none and no default sensor was given)']);
  });
});

describe('cc-jsonl on bad input', () => {
  const ok = { sensor: 'hp', time: '2024-01-01T00:00:00Z', src_ip: '192.0.2.1', src_port: 1, protocol: 'tcp', stage: 'connect' };
  const line = (o: Record<string, unknown>) => JSON.stringify(o);

  test('each bad record is one reject with a precise reason; the rest is read', async () => {
    const { stage: _s, ...noStage } = ok;
    const { time: _t, ...noTime } = ok;
    const lines = [
      line(ok),
      line({ ...ok, src_port: 'abc' }),
      line({ ...ok, src_ip: 12 }),
      line({ ...ok, src_ip: '192.0.2.300' }),
      line(noStage),
      line(noTime),
      line({ ...ok, stage: 'infect' }),
      line({ ...ok, vulnerability_raw: 'v'.repeat(70_000) }),
      line({ ...ok, colour: 'red' }),
      line({ ...ok, stage: 'download', url: 'http://198.51.100.1/x' }),
      line({ ...ok, stage: 'offer' }),
      line({ ...ok, time: '2024-01-01T00:00:00' }),
      line({ ...ok, time: 1704067200000 }),
      line({ ...ok, md5: 'xyz' }),
      line({ ...ok, url: 'not a url' }),
      line({ ...ok, dst_port: 70000 }),
      '{"sensor": "hp", broken',
      '["an", "array"]',
      '',
      line({ ...ok, src_port: 2 }),
      '{"sensor": "hp", "time": "2024-01-01T00:00:00Z", "src_ip": "192.0',
    ];
    const path = temp(lines.join('\n'), 'jsonl');
    const items = await readAll(ccEventsJsonlReader, path);
    assert.equal(items.length, lines.length, 'records read = events + rejects + ignored');
    const out = outline(items);
    assert.deepEqual(out.slice(0, 16), [
      '1: connect',
      '2: src_port: expected an integer 0-65535, got "abc"',
      '3: src_ip: expected a string, got 12',
      '4: src_ip: expected an IPv4 or IPv6 address, got "192.0.2.300"',
      '5: stage: required, expected one of connect, exploit, offer, download, execution',
      '6: time: required, expected ISO 8601 with a zone (e.g. 2024-05-17T07:05:23Z) or epoch seconds',
      '7: stage: expected one of connect, exploit, offer, download, execution, got "infect"',
      '8: vulnerability_raw: longer than 65536 characters',
      '9: unknown field "colour"',
      '10: stage: "download" needs at least one of md5, sha1, sha256',
      '11: stage: "offer" needs a url or a hash',
      '12: time: expected ISO 8601 with a zone (e.g. 2024-05-17T07:05:23Z) or epoch seconds, got "2024-01-01T00:00:00"',
      '13: time: epoch seconds expected, got 1704067200000 (milliseconds?)',
      '14: md5: expected MD5 as 32 hex digits, got "xyz"',
      '15: url: expected an absolute URL such as http://host.example/path, got "not a url"',
      '16: dst_port: expected an integer 0-65535, got 70000',
    ]);
    assert.match(out[16] ?? '', /^17: invalid JSON: /);
    assert.equal(out[17], '18: expected a JSON object, got an array');
    assert.equal(out[18], 'ignored blank line');
    assert.equal(out[19], '20: connect');
    assert.match(out[20] ?? '', /^21: invalid JSON: .*\(last line has no line end: file cut off\?\)$/);
    const huge = rejects(items).find((r) => r.line === 8);
    assert.ok(huge !== undefined && huge.raw.length < 5000, 'the raw text of a huge record is cut');
    assert.ok(rejects(items).every((r) => r.source === path && r.format === 'cc-jsonl'));
  });

  test('readBatches gives the items of read, in order, over several chunks of the file', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      lines.push(i % 997 === 5 ? '{"broken' : i % 1009 === 7 ? '' : line({ ...ok, src_port: i % 65536, vulnerability_raw: 'x'.repeat(60) }));
    }
    const path = temp(`${lines.join('\n')}\n`, 'jsonl');
    const single = await readAll(ccEventsJsonlReader, path);
    const chunks: (readonly ReadItem[])[] = [];
    assert.ok(ccEventsJsonlReader.readBatches !== undefined);
    for await (const chunk of ccEventsJsonlReader.readBatches(path)) chunks.push(chunk);
    assert.ok(chunks.length > 1, 'the file spans more than one read chunk');
    assert.ok(chunks.every((c) => c.length > 0));
    assert.deepEqual(chunks.flat(), single);
    assert.equal(single.length, lines.length);
    assert.equal(rejects(single).length, lines.filter((l) => l === '{"broken').length);
  });

  test('non-UTF-8 bytes, CRLF, an empty file', async () => {
    const bytes = Buffer.concat([Buffer.from(`${line(ok)}\r\n`), Buffer.from('{"sensor": "h\xe9"}\r\n', 'latin1'), Buffer.from(`${line({ ...ok, src_port: 3 })}\r\n`)]);
    const items = await readAll(ccEventsJsonlReader, temp(bytes, 'jsonl'));
    assert.deepEqual(outline(items), ['1: connect', '2: not valid UTF-8', '3: connect']);
    assert.deepEqual(await readAll(ccEventsJsonlReader, temp('', 'jsonl')), []);
  });
});

describe('cc-csv on bad input', () => {
  const HEADER = 'sensor,time,src_ip,src_port,protocol,stage,url';

  test('bad rows are rejected one by one; a broken quote costs one row only', async () => {
    const rows = [
      HEADER,
      'hp,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect,',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,abc,tcp,connect,',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,2,tcp,"offer"x,http://198.51.100.1/a',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,3,tcp,offer,"http://198.51.100.1/""b"""',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,4,t"cp,connect,',
      'hp,yesterday,192.0.2.1,5,tcp,connect,',
      ',2024-01-01T00:00:00Z,192.0.2.1,6,tcp,connect,',
      `hp,2024-01-01T00:00:00Z,192.0.2.1,7,tcp,offer,http://198.51.100.1/${'a'.repeat(70_000)}`,
      '',
      'hp,1704067200,2001:db8::1,8,tcp,offer,"http://198.51.100.1/a,b"',
      'hp,2024-01-01T00:00:00Z,192.0.2.1,9,tcp,offer,"http://198.51.100.1/cut-off',
    ];
    const path = temp(rows.join('\n'), 'csv');
    const items = await readAll(ccEventsCsvReader, path);
    assert.equal(items.length, rows.length);
    assert.deepEqual(outline(items), [
      'ignored csv header',
      '2: connect',
      '3: src_port: expected an integer 0-65535, got "abc"',
      '4: expected 7 fields as in the header, got 6',
      '5: field 6: text after the closing quote (column 48)',
      '6: offer',
      '7: field 5: quote inside an unquoted field (column 38)',
      '8: time: expected ISO 8601 with a zone (e.g. 2024-05-17T07:05:23Z) or epoch seconds, got "yesterday"',
      '9: sensor: required (the record has none and no default sensor was given)',
      '10: url: longer than 65536 characters',
      'ignored blank line',
      '12: offer',
      '13: unclosed quote in field 7 (a field may not span lines) (last line has no line end: file cut off?)',
    ]);
    const ev = events(items);
    assert.equal(ev[1]?.sample?.url, 'http://198.51.100.1/"b"');
    assert.equal(ev[2]?.sample?.url, 'http://198.51.100.1/a,b');
    assert.equal(ev[2]?.time, '2024-01-01T00:00:00.000Z');
    assert.ok(rejects(items).every((r) => r.source === path && r.format === 'cc-csv' && r.raw.length < 5000));
  });

  test('a bad header is one reject on line 1 and the file is not read further', async () => {
    const body = '\nhp,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect,\n';
    const cases: [string, string][] = [
      [`${HEADER},colour`, '1: header: unknown column "colour" (known: id, sensor, time, src_ip, src_port, dst_ip, dst_port, protocol, stage, vulnerability, vulnerability_raw, md5, sha1, sha256, url; x_* for a sensor\'s own); the file was not read'],
      ['sensor,time,src_ip,src_port,protocol,url', '1: header: missing column stage; the file was not read'],
      [`${HEADER},time`, '1: header: column "time" appears twice; the file was not read'],
      ['hp,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect,', '1: header: unknown columns "hp", "2024-01-01t00:00:00z", "192.0.2.1", "1", "tcp", "connect", "" (known: id, sensor, time, src_ip, src_port, dst_ip, dst_port, protocol, stage, vulnerability, vulnerability_raw, md5, sha1, sha256, url; x_* for a sensor\'s own); the file was not read'],
    ];
    for (const [header, expected] of cases) {
      assert.deepEqual(outline(await readAll(ccEventsCsvReader, temp(header + body, 'csv'))), [expected]);
    }
    const bom = await readAll(ccEventsCsvReader, temp(`\uFEFF${HEADER.toUpperCase()}${body}`, 'csv'));
    assert.deepEqual(outline(bom), ['ignored csv header', '2: connect'], 'a BOM and upper-case names are fine');
  });

  test('non-UTF-8 rows, CRLF and an empty file', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\r\n`),
      Buffer.from('hp,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect,\r\n'),
      Buffer.from('h\xe9,2024-01-01T00:00:00Z,192.0.2.1,1,tcp,connect,\r\n', 'latin1'),
      Buffer.from('hp,2024-01-01T00:00:00Z,192.0.2.1,2,tcp,connect,\r\n'),
    ]);
    assert.deepEqual(outline(await readAll(ccEventsCsvReader, temp(bytes, 'csv'))), ['ignored csv header', '2: connect', '3: not valid UTF-8', '4: connect']);
    assert.deepEqual(await readAll(ccEventsCsvReader, temp('', 'csv')), []);
    const badHeader = Buffer.from('sens\xf6r,time\n', 'latin1');
    assert.deepEqual(outline(await readAll(ccEventsCsvReader, temp(badHeader, 'csv'))), ['1: header: not valid UTF-8']);
  });
});

describe('splitCsvLine', () => {
  test('plain, quoted, doubled quotes, empty fields', () => {
    assert.deepEqual(splitCsvLine('a,b,,c'), { ok: true, fields: ['a', 'b', '', 'c'] });
    assert.deepEqual(splitCsvLine('"a,1","say ""hi""",'), { ok: true, fields: ['a,1', 'say "hi"', ''] });
    assert.deepEqual(splitCsvLine('""'), { ok: true, fields: [''] });
    assert.deepEqual(splitCsvLine('x,"y"'), { ok: true, fields: ['x', 'y'] });
  });
  test('broken quoting is reported, not guessed', () => {
    assert.equal(splitCsvLine('"abc').ok, false);
    assert.equal(splitCsvLine('"a"b,c').ok, false);
    assert.equal(splitCsvLine('a"b",c').ok, false);
  });
});
