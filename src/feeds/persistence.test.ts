import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePlainList } from './plain/plain-reader.js';
import { listingPersistence } from './persistence.js';

describe('listing persistence', () => {
  test('by value and by CIDR containment, checked by hand', () => {
    const older = parsePlainList(['192.0.2.0/24', '198.51.100.1', 'a.example', '203.0.113.9'].join('\n'), { snapshotDate: '2010-01-15' });
    const newer = parsePlainList(
      [
        '192.0.2.5', // inside the older /24: already listed
        '198.51.100.1', // same value: already listed
        '198.51.100.2', // new
        'b.example', // new
        'a.example', // same value: already listed
        '192.0.2.128/25', // inside the older /24: already listed
        '203.0.113.0/24', // wider than the older 203.0.113.9: new
        '2001:db8::1', // new
      ].join('\n'),
      { snapshotDate: '2010-10-15' },
    );
    const p = listingPersistence(older, newer);
    assert.equal(p.newerEntries, 8);
    assert.equal(p.alsoInOlder, 4);
    assert.equal(p.share, 0.5);
    // 2010-01-15 to 2010-10-15: 16 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 15 = 273 days; 273 / 30.436875 = 8.969…
    assert.equal(p.daysApart, 273);
    assert.equal(p.monthsApart, 8.97);
  });

  test('empty newer snapshot and unknown dates', () => {
    const p = listingPersistence(parsePlainList('192.0.2.1\n'), parsePlainList(''));
    assert.deepEqual(p, { newerEntries: 0, alsoInOlder: 0, share: null, daysApart: null, monthsApart: null });
  });
});
