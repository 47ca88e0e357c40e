import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { daysBetween, mergeSpans, parseListDate, spansFromColumns, spansFromSnapshots } from './spans.js';

describe('spansFromSnapshots', () => {
  test('first to last listing date, censored when listed in the latest snapshot', () => {
    // Snapshots on May 1, 4, 11 (given out of order): A in all three, B only on the 4th, C on the 1st and 11th.
    const { spans, undated } = spansFromSnapshots([
      { date: '2024-05-11', keys: ['192.0.2.1', '192.0.2.3'] },
      { date: '2024-05-01', keys: ['192.0.2.1', '192.0.2.3'] },
      { date: '2024-05-04', keys: ['192.0.2.1', '192.0.2.2'] },
      { date: 'yesterday', keys: ['192.0.2.9'] },
    ]);
    assert.equal(undated, 1);
    assert.deepEqual(spans.get('192.0.2.1'), { key: '192.0.2.1', firstSeen: '2024-05-01', lastSeen: '2024-05-11', days: 10, censored: true });
    assert.deepEqual(spans.get('192.0.2.2'), { key: '192.0.2.2', firstSeen: '2024-05-04', lastSeen: '2024-05-04', days: 0, censored: false });
    // A gap in the listing is covered by the span: 1st to 11th is 10 days.
    assert.equal(spans.get('192.0.2.3')?.days, 10);
    assert.equal(spans.has('192.0.2.9'), false);
  });
  test('no snapshots, no spans', () => {
    assert.equal(spansFromSnapshots([]).spans.size, 0);
  });
});

describe('spansFromColumns', () => {
  test('ThreatFox-like times give fractional days; a missing last seen runs to asOf and is censored', () => {
    const { spans, undated } = spansFromColumns(
      [
        { key: 'a', firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-03T12:00:00.000Z' },
        { key: 'b', firstSeen: '2024-05-01', lastSeen: null },
        { key: 'c', firstSeen: 'not a date', lastSeen: '2024-05-02' },
        { key: 'd', firstSeen: '2024-05-05', lastSeen: '2024-05-01' },
        // The same key again widens the span: May 1 to May 20 = 19 days.
        { key: 'a', firstSeen: '2024-05-02', lastSeen: '2024-05-20' },
      ],
      '2024-05-31',
    );
    assert.equal(undated, 2);
    assert.deepEqual(spans.get('a'), { key: 'a', firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-20', days: 19, censored: false });
    assert.deepEqual(spans.get('b'), { key: 'b', firstSeen: '2024-05-01', lastSeen: '2024-05-31', days: 30, censored: true });
  });
  test('still listed without an asOf date is undated', () => {
    assert.equal(spansFromColumns([{ key: 'b', firstSeen: '2024-05-01', lastSeen: undefined }], null).undated, 1);
  });
  test('2.5 days from 00:00 on the 1st to 12:00 on the 3rd', () => {
    assert.equal(spansFromColumns([{ key: 'a', firstSeen: '2024-05-01T00:00:00Z', lastSeen: '2024-05-03T12:00:00Z' }], null).spans.get('a')?.days, 2.5);
  });
});

test('mergeSpans keeps the widest span and the censoring of the latest end', () => {
  const a = spansFromSnapshots([{ date: '2024-05-01', keys: ['x'] }, { date: '2024-05-03', keys: ['x'] }]).spans; // 2 days, censored
  const b = spansFromColumns([{ key: 'x', firstSeen: '2024-04-28', lastSeen: '2024-05-02' }], null).spans; // 4 days, ended
  const m = mergeSpans(a, b).get('x');
  assert.deepEqual(m, { key: 'x', firstSeen: '2024-04-28', lastSeen: '2024-05-03', days: 5, censored: true });
});

test('date parsing accepts dates and ISO times only', () => {
  assert.equal(parseListDate('2024-05-01'), Date.UTC(2024, 4, 1));
  assert.equal(parseListDate('05/01/2024'), null);
  assert.equal(parseListDate(''), null);
  assert.equal(parseListDate('2024-13-45'), null);
  assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2); // leap year
});
