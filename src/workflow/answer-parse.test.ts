import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAnswers } from './answer-parse.js';

const T1 = 'AbCdEfGhIjKlMnOpQrStUvWx';
const T2 = 'XwVuTsRqPoNmLkJiHgFeDcBa';
const limits = { maxRows: 100, maxBytes: 1 << 20 };
const csv = (text: string): ReturnType<typeof parseAnswers> => parseAnswers(text, 'text/csv', limits);

test('CSV answers: quoted and plain files read the same, with the same line numbers', () => {
  const plain = csv(`\ufeffTracking_ID, Result ,subscriber_key\r\n${T1},identified, k-1 \r\n\r\n${T2},not-found,\r\n`);
  const quoted = csv(`tracking_id,result,subscriber_key\n"${T1}","identified"," k-1 "\n\n${T2},not-found,""\n`);
  const expected = {
    rows: [
      { row: 2, trackingId: T1, result: 'identified', subscriberKey: 'k-1' },
      { row: 4, trackingId: T2, result: 'not-found', subscriberKey: null },
    ],
    rejected: [],
    total: 2,
  };
  assert.deepEqual(plain, expected);
  assert.deepEqual(quoted, expected);
});

test('CSV answers: every bad row gets its reason, on either path', () => {
  for (const q of ['', '"']) {
    const r = csv(`tracking_id,result,subscriber_key\n${q}${T1}${q},identified\n${T2}\n${T1},not-found,\n${T2},not-found,,x\nshort,not-found,\n`);
    assert.ok('rows' in r);
    assert.deepEqual(
      r.rejected.map((x) => [x.row, x.trackingId, x.reason]),
      [
        [2, T1, 'malformed row: an identified answer needs a subscriber key'],
        [3, T2, 'malformed row: result must be one of identified, not-found, not-our-customer'],
        [5, T2, 'malformed row: more than 3 columns'],
        [6, 'short', 'malformed row: the tracking ID is not 22 to 64 URL-safe characters'],
      ],
    );
    assert.deepEqual(r.rows.map((x) => x.row), [4]);
  }
  const dup = csv(`tracking_id,result,subscriber_key\n${T1},not-found,\n${T1},identified,k\n`);
  assert.ok('rows' in dup && dup.rejected[0]?.reason === 'duplicate: this tracking ID is already answered in row 2');
});

test('CSV answers: header, size, and what only the full CSV reader can judge', () => {
  assert.deepEqual(csv('tracking_id,result\n'), { rows: [], rejected: [{ row: 0, trackingId: null, reason: 'the first CSV line must be the header tracking_id,result,subscriber_key' }], total: 0 });
  assert.deepEqual(csv('\n\n'), { rows: [], rejected: [{ row: 0, trackingId: null, reason: 'the first CSV line must be the header tracking_id,result,subscriber_key' }], total: 0 });
  assert.deepEqual(csv('tracking_id,result,subscriber_key\n'), { rows: [], rejected: [{ row: 0, trackingId: null, reason: 'the upload holds no answers' }], total: 0 });
  // A bare CR ends a record for the full reader; an endless line is refused with its line number.
  const cr = csv(`tracking_id,result,subscriber_key\r${T1},not-found,\r`);
  assert.ok('rows' in cr && cr.rows.length === 1 && cr.rows[0]?.row === 2);
  assert.deepEqual(csv(`tracking_id,result,subscriber_key\n${T1},not-found,\n${'x'.repeat(5000)}\n`), {
    rows: [],
    rejected: [{ row: 0, trackingId: null, reason: 'CSV cannot be read at line 3: a record is longer than 4096 characters' }],
    total: 0,
  });
  // Past maxRows the rows are only counted.
  const many = parseAnswers(`tracking_id,result,subscriber_key\n${T1},not-found,\n${T2},bad,\n`, 'text/csv', { maxRows: 1, maxBytes: 1 << 20 });
  assert.deepEqual(many, { tooLarge: 'the upload has 2 rows; at most 1 are accepted' });
});
