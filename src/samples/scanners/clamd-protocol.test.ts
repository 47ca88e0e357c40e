import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { instreamChunkHeader, parseInstreamReply } from './clamd-protocol.js';

describe('parseInstreamReply', () => {
  test('clean', () => {
    assert.deepEqual(parseInstreamReply('stream: OK\0'), { status: 'ok' });
    assert.deepEqual(parseInstreamReply('stream: OK'), { status: 'ok' }, 'a missing terminator is tolerated');
    assert.deepEqual(parseInstreamReply('stream: OK\n'), { status: 'ok' }, 'n-prefixed commands end in newline');
  });

  test('found, with signatures containing spaces and dots', () => {
    assert.deepEqual(parseInstreamReply('stream: Win.Trojan.Agent-1 FOUND\0'), { status: 'found', signatures: ['Win.Trojan.Agent-1'] });
    assert.deepEqual(parseInstreamReply('stream: Odd Name With Spaces FOUND\0'), { status: 'found', signatures: ['Odd Name With Spaces'] });
  });

  test('AllMatch: several FOUND replies are all kept', () => {
    assert.deepEqual(parseInstreamReply('stream: A.One FOUND\0stream: B.Two FOUND\0'), { status: 'found', signatures: ['A.One', 'B.Two'] });
  });

  test('IDSESSION-numbered replies are understood', () => {
    assert.deepEqual(parseInstreamReply('1: stream: X FOUND\0'), { status: 'found', signatures: ['X'] });
  });

  test('size limit', () => {
    const r = parseInstreamReply('INSTREAM size limit exceeded. ERROR\0');
    assert.equal(r.status, 'error');
    assert.match(r.status === 'error' ? r.message : '', /size limit exceeded/);
  });

  test('other ERROR replies keep clamd’s words', () => {
    const r = parseInstreamReply('stream: Can\'t allocate memory ERROR\0');
    assert.deepEqual(r, { status: 'error', message: 'clamd: "stream: Can\'t allocate memory"' });
    assert.deepEqual(parseInstreamReply('UNKNOWN COMMAND\0'), { status: 'error', message: 'unexpected clamd reply: "UNKNOWN COMMAND"' });
  });

  test('empty and garbage replies are errors, quoted short and printable', () => {
    assert.deepEqual(parseInstreamReply(''), { status: 'error', message: 'empty reply from clamd' });
    assert.deepEqual(parseInstreamReply('\0\0'), { status: 'error', message: 'empty reply from clamd' });
    const g = parseInstreamReply(`HTTP/1.1 400 Bad Request\r\n${'x'.repeat(500)}\u0001`);
    assert.equal(g.status, 'error');
    const msg = g.status === 'error' ? g.message : '';
    assert.match(msg, /^unexpected clamd reply: "HTTP\/1\.1 400 Bad Request/);
    assert.ok(msg.length < 260, `message too long: ${msg.length}`);
    assert.match(parseInstreamReply('stream: \u0007 FOUN').status, /error/);
  });

  test('a FOUND line followed by garbage is an error, not a detection', () => {
    assert.equal(parseInstreamReply('stream: A FOUND\0garbage\0').status, 'error');
  });
});

describe('instreamChunkHeader', () => {
  test('4-byte big-endian length', () => {
    assert.deepEqual([...instreamChunkHeader(0)], [0, 0, 0, 0]);
    assert.deepEqual([...instreamChunkHeader(0x01020304)], [1, 2, 3, 4]);
    assert.deepEqual([...instreamChunkHeader(65536)], [0, 1, 0, 0]);
  });
});
