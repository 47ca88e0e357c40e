import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvRecords } from './csv-records.js';

test('quotes, doubled quotes, CRLF, blank lines, BOM and line numbers', () => {
  const r = parseCsvRecords('\ufeffa,b,c\r\n"x,1","say ""hi""",\r\n\r\n"multi\nline",2,3\nlast');
  assert.ok('records' in r);
  assert.deepEqual(r.records, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x,1', 'say "hi"', ''] },
    { line: 4, fields: ['multi\nline', '2', '3'] },
    { line: 6, fields: ['last'] },
  ]);
});

test('broken quoting and endless records are errors with their line', () => {
  assert.deepEqual(parseCsvRecords('a,b\n"open,x\n'), { error: 'a quoted field is not closed', line: 2 });
  assert.deepEqual(parseCsvRecords('a\n"x"y,z'), { error: 'text after a closing quote', line: 2 });
  assert.deepEqual(parseCsvRecords('a\nx"y'), { error: 'a quote inside an unquoted field', line: 2 });
  assert.deepEqual(parseCsvRecords(`a\n${'x'.repeat(5000)}`, 4096), { error: 'a record is longer than 4096 characters', line: 2 });
  assert.deepEqual(parseCsvRecords(''), { records: [] });
});
