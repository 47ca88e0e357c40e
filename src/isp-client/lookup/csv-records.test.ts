import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvRecords } from './csv-records.js';

test('quoted commas, doubled quotes, line breaks, CRLF and BOM', () => {
  const r = [...csvRecords('\uFEFFa,b\r\n"x, y","say ""hi""\nthere",z\n\n1,2\n')];
  assert.deepEqual(r, [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['x, y', 'say "hi"\nthere', 'z'] },
    { line: 5, fields: ['1', '2'] },
  ]);
});

test('a broken record is reported with its line and reading goes on', () => {
  const r = [...csvRecords('a,b\nx"y,1\n"q"z,2\nok,3\n"never closed,4')];
  assert.deepEqual(r, [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, error: 'a quote inside an unquoted field' },
    { line: 3, error: 'text after a closing quote' },
    { line: 4, fields: ['ok', '3'] },
    { line: 5, error: 'unterminated quoted field' },
  ]);
  assert.deepEqual([...csvRecords('x'.repeat(100) + '\nok\n', 50)], [{ line: 1, error: 'record longer than 50 characters' }, { line: 2, fields: ['ok'] }]);
});
