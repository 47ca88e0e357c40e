import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evidenceLine } from './evidence.js';
import { createLineSplitter } from './line-splitter.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('line splitter', () => {
  test('CRLF, LF and CR alone end lines; a CRLF split across chunks gives no empty line', () => {
    const sp = createLineSplitter(100);
    assert.deepEqual(sp.push(bytes('a\r\nb\nc\rd')).lines, ['a', 'b', 'c']);
    assert.deepEqual(sp.push(bytes('e\r')).lines, ['de']);
    assert.deepEqual(sp.push(bytes('\nf')).lines, []);
    assert.equal(sp.flush(), 'f');
    assert.equal(sp.flush(), null);
  });

  test('a UTF-8 character split across chunks survives', () => {
    const sp = createLineSplitter(100);
    const all = bytes('é日本\n');
    assert.deepEqual(sp.push(all.subarray(0, 3)).lines, []);
    assert.deepEqual(sp.push(all.subarray(3)).lines, ['é日本']);
  });

  test('a partial line past the limit is flagged, and peek shows its start', () => {
    const sp = createLineSplitter(10);
    assert.equal(sp.push(bytes('0123456789')).overlong, false);
    const r = sp.push(bytes('abc'));
    assert.equal(r.overlong, true);
    assert.equal(sp.peek(4), '0123');
  });
});

describe('evidence lines', () => {
  test('control characters are escaped and long lines cut', () => {
    assert.equal(evidenceLine('a\u001b[2Jb\tc', 100), 'a\\x1b[2Jb\tc');
    assert.equal(evidenceLine('x'.repeat(12), 5), 'xxxxx…[7 more]');
  });
});
