import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitCsvLine } from './csv-line.js';

describe('CSV line splitter', () => {
  test('quoted, unquoted, ", " separated, doubled quotes, empty fields', () => {
    assert.deepEqual(splitCsvLine('"a", "b,c", "", "say ""hi"""'), { ok: true, fields: ['a', 'b,c', '', 'say "hi"'] });
    assert.deepEqual(splitCsvLine('2020-10-29 19:16:38,192.0.2.1,80,,Heodo'), { ok: true, fields: ['2020-10-29 19:16:38', '192.0.2.1', '80', '', 'Heodo'] });
    assert.deepEqual(splitCsvLine('a,'), { ok: true, fields: ['a', ''] });
    assert.deepEqual(splitCsvLine('a\tb', '\t'), { ok: true, fields: ['a', 'b'] });
  });
  test('broken lines say what is wrong', () => {
    assert.deepEqual(splitCsvLine('"2026-09-24 09:30:35", "1", "https://ww'), { ok: false, reason: 'unterminated quoted field 3' });
    assert.deepEqual(splitCsvLine('"a"b,c'), { ok: false, reason: 'unexpected text after quoted field 1' });
    assert.deepEqual(splitCsvLine('a,b"c'), { ok: false, reason: 'stray quote in field 2' });
  });
});
