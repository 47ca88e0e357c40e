import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { checkWire } from './wire-check.js';
import { decodeMessage } from './message.js';

const LIMITS = { maxMessageBytes: 4096, maxRdataBytes: 2048 };

/** Header with the given counts (ID 0x1234, QR set). */
function header(qd: number, an: number, ns = 0, ar = 0): number[] {
  return [0x12, 0x34, 0x84, 0x00, 0, qd, 0, an, 0, ns, 0, ar];
}
/** "www.c2.test" uncompressed. */
const QNAME = [3, 0x77, 0x77, 0x77, 2, 0x63, 0x32, 4, 0x74, 0x65, 0x73, 0x74, 0];
const QTAIL = [0, 1, 0, 1];
/** An A record (class IN, TTL 60) with the given owner bytes and RDATA. */
function aRecord(owner: number[], rdata: number[]): number[] {
  return [...owner, 0, 1, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 0xff, ...rdata];
}
const buf = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);

describe('wire pre-check', () => {
  test('accepts a well-formed, compressed reply made by dns-packet', () => {
    const b = dnsPacket.encode({
      type: 'response',
      id: 7,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ type: 'A', name: 'www.c2.test', class: 'IN' }],
      answers: [{ type: 'CNAME', name: 'www.c2.test', data: 'host.c2.test' }, { type: 'A', name: 'host.c2.test', data: '192.0.2.1' }],
      authorities: [{ type: 'SOA', name: 'c2.test', data: { mname: 'ns.c2.test', rname: 'hostmaster.c2.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } }],
    });
    assert.equal(checkWire(b, LIMITS), null);
    // A pointer back to the question name is the normal case.
    assert.equal(checkWire(buf([...header(1, 1), ...QNAME, ...QTAIL, ...aRecord([0xc0, 12], [192, 0, 2, 1])]), LIMITS), null);
  });

  test('rejects a pointer to itself and a pointer forwards', () => {
    const self = [...header(1, 1), ...QNAME, ...QTAIL];
    const at = self.length;
    const r1 = checkWire(buf([...self, ...aRecord([0xc0, at], [192, 0, 2, 1])]), LIMITS);
    assert.match(r1 ?? '', /does not point backwards/);
    const r2 = checkWire(buf([...self, ...aRecord([0xc0, at + 20], [192, 0, 2, 1])]), LIMITS);
    assert.match(r2 ?? '', /does not point backwards/);
  });

  test('rejects a two-pointer cycle', () => {
    // Question name at 12: label "a" then a pointer to 16; at 16 label "b" then a pointer back to 12.
    const bytes = [...header(1, 0), 1, 0x61, 0xc0, 16, 1, 0x62, 0xc0, 12];
    assert.match(checkWire(buf(bytes), LIMITS) ?? '', /does not point backwards/);
  });

  test('rejects a pointer into the header, a truncated pointer and a bad label type', () => {
    assert.match(checkWire(buf([...header(1, 0), 0xc0, 2, ...QTAIL]), LIMITS) ?? '', /backwards|header/);
    assert.match(checkWire(buf([...header(1, 0), 0xc0]), LIMITS) ?? '', /truncated compression pointer|runs past/);
    assert.match(checkWire(buf([...header(1, 0), 0x80, 0, ...QTAIL]), LIMITS) ?? '', /label type/);
  });

  test('rejects names longer than 255 octets and labels with a dot', () => {
    const long: number[] = [];
    for (let i = 0; i < 5; i++) long.push(63, ...new Array<number>(63).fill(0x61));
    assert.match(checkWire(buf([...header(1, 0), ...long, 0, ...QTAIL]), LIMITS) ?? '', /255 octets/);
    assert.match(checkWire(buf([...header(1, 0), 3, 0x61, 0x2e, 0x62, 0, ...QTAIL]), LIMITS) ?? '', /dot/);
  });

  test('rejects oversized records and messages, and A/AAAA records of the wrong length', () => {
    const base = [...header(1, 1), ...QNAME, ...QTAIL];
    assert.match(checkWire(buf([...base, ...aRecord([0xc0, 12], new Array<number>(3000).fill(1))]), LIMITS) ?? '', /oversized record/);
    assert.match(checkWire(buf([...base, ...aRecord([0xc0, 12], [1, 2, 3, 4, 5])]), LIMITS) ?? '', /expected 4/);
    const aaaa = [...base, 0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4];
    assert.match(checkWire(buf(aaaa), LIMITS) ?? '', /expected 16/);
    assert.match(checkWire(new Uint8Array(5000), LIMITS) ?? '', /oversized message/);
  });

  test('rejects short, truncated and count-inflated messages', () => {
    assert.match(checkWire(buf([1, 2, 3]), LIMITS) ?? '', /header/);
    assert.match(checkWire(buf([...header(1, 0), ...QNAME]), LIMITS) ?? '', /question type/);
    assert.match(checkWire(buf([...header(1, 5), ...QNAME, ...QTAIL]), LIMITS) ?? '', /runs past/);
    const rdataPastEnd = [...header(1, 1), ...QNAME, ...QTAIL, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2];
    assert.match(checkWire(buf(rdataPastEnd), LIMITS) ?? '', /RDATA/);
  });

  test('checks names inside RDATA (NS, CNAME)', () => {
    const base = [...header(1, 1), ...QNAME, ...QTAIL];
    const at = base.length;
    // A CNAME whose target is a pointer to the RDATA itself.
    const cname = [...base, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, at + 12];
    assert.match(checkWire(buf(cname), LIMITS) ?? '', /RDATA name.*backwards/);
    // An NS name running past its RDATA length.
    const ns = [...base, 0xc0, 12, 0, 2, 0, 1, 0, 0, 0, 60, 0, 2, 3, 0x61, 0x62, 0x63, 0];
    assert.match(checkWire(buf(ns), LIMITS) ?? '', /RDATA name.*(runs past|past its end)/);
  });

  test('never throws on random bytes, and decodeMessage never throws either', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const len = rand() % 200;
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = rand() & 0xff;
      // Small counts make some of the random messages structurally valid.
      if (len >= 12) b.set([0, 1, 0, rand() % 3, 0, 0, 0, 0], 4);
      assert.doesNotThrow(() => checkWire(b, LIMITS));
      assert.doesNotThrow(() => decodeMessage(b, LIMITS));
    }
  });
});
