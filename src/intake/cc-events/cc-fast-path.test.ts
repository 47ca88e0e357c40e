import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ccEventBySchema, fastCcEvent, toCcEvent, type CcContext } from './cc-record.js';

const ctx: CcContext = { format: 'cc-jsonl', file: 'x.jsonl', line: 7, defaultSensor: undefined };
const base = { sensor: 'edge-1', time: '2024-05-17T07:05:23.517Z', src_ip: '203.0.113.5', protocol: 'tcp', stage: 'connect' };

// Each variant either passes both paths with the same event, or fails both (the fast path then
// defers to the schema, so the reason is the schema's own).
const variants: Record<string, unknown>[] = [
  base,
  { ...base, id: 'r-1' },
  { ...base, id: 42 },
  { ...base, id: '' },
  { ...base, id: 'x'.repeat(257) },
  { ...base, sensor: undefined },
  { ...base, sensor: '' },
  { ...base, sensor: 5 },
  { ...base, time: '2024-02-29T00:00:00.000Z' },
  { ...base, time: '2023-02-29T00:00:00.000Z' },
  { ...base, time: '2024-02-30T12:00:00.000Z' },
  { ...base, time: '2024-04-31T12:00:00.000Z' },
  { ...base, time: '2024-01-01T24:00:00.000Z' },
  { ...base, time: '2024-01-01T23:59:60.000Z' },
  { ...base, time: '2024-13-01T00:00:00.000Z' },
  { ...base, time: '2024-05-17T07:05:23Z' },
  { ...base, time: '2024-05-17t07:05:23.517z' },
  { ...base, time: '2024-05-17T09:05:23.517+02:00' },
  { ...base, time: 1715929523 },
  { ...base, time: '0000-01-01T00:00:00.000Z' },
  { ...base, src_ip: ' 203.0.113.5 ' },
  { ...base, src_ip: '203.0.113.05' },
  { ...base, src_ip: '::ffff:203.0.113.5' },
  { ...base, src_ip: '2001:DB8::1' },
  { ...base, src_ip: 'host.example' },
  { ...base, src_port: 0, dst_port: 65535, dst_ip: '192.0.2.10' },
  { ...base, src_port: -1 },
  { ...base, src_port: 65536 },
  { ...base, src_port: 1.5 },
  { ...base, src_port: '445' },
  { ...base, protocol: 'SMB' },
  { ...base, protocol: 'x'.repeat(33) },
  { ...base, protocol: '-tcp' },
  { ...base, stage: 'Connect' },
  { ...base, stage: 'exploit', vulnerability: 'MS08-067', vulnerability_raw: '4b324fc8-1670-01d3-1278-5a47bf6ee188:31' },
  { ...base, vulnerability: 'v'.repeat(257) },
  { ...base, stage: 'download' },
  { ...base, stage: 'download', md5: 'ABCDEF0123456789ABCDEF0123456789' },
  { ...base, stage: 'execution', sha1: 'a'.repeat(40), sha256: 'B'.repeat(64) },
  { ...base, stage: 'download', md5: 'g'.repeat(32) },
  { ...base, stage: 'download', md5: 'a'.repeat(31) },
  { ...base, stage: 'offer' },
  { ...base, stage: 'offer', url: 'http://bad.example/x.exe' },
  { ...base, stage: 'offer', url: 'not a url' },
  { ...base, x_note: 'sensor extension', x_n: 5 },
  { ...base, extra: 1 },
  { ...base, extra: null, other: '' },
  { ...base, dst_ip: null, vulnerability: '' },
  JSON.parse('{"sensor":"edge-1","time":"2024-05-17T07:05:23.517Z","src_ip":"203.0.113.5","protocol":"tcp","stage":"connect","__proto__":{"a":1}}') as Record<string, unknown>,
];

test('the fast path gives exactly what the schema gives, for good and bad records alike', () => {
  let fastAccepted = 0;
  for (const v of variants) {
    const input = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
    const label = JSON.stringify(v);
    assert.deepEqual(toCcEvent(input, false, ctx), ccEventBySchema(input, false, ctx), label);
    assert.deepEqual(toCcEvent(input, false, { ...ctx, defaultSensor: 'fallback' }), ccEventBySchema(input, false, { ...ctx, defaultSensor: 'fallback' }), label);
    for (const c of [ctx, { ...ctx, defaultSensor: 'fallback' }]) {
      const fast = fastCcEvent(input, c);
      if (fast === null) continue;
      fastAccepted++;
      assert.deepEqual({ ok: true, event: fast }, ccEventBySchema(input, false, c), `fast path accepted ${label}`);
    }
  }
  assert.ok(fastAccepted >= 30, `the usual records take the fast path (${fastAccepted})`);
});
