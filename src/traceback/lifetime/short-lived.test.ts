import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortLivedShare } from './short-lived.js';
import { wilson } from '../../domain/study-math.js';

test('short-lived share: end users, unknown and undetermined lifetimes are left out', () => {
  const r = shortLivedShare([
    { lifetimeDays: 2, lifetimeCensored: false, endUser: false }, // short
    { lifetimeDays: 6.9, lifetimeCensored: false, endUser: false }, // short
    { lifetimeDays: 7, lifetimeCensored: false, endUser: false }, // not short: 7 is not under 7
    { lifetimeDays: 30, lifetimeCensored: true, endUser: false }, // long, still listed: counts as long
    { lifetimeDays: 3, lifetimeCensored: true, endUser: false }, // undetermined
    { lifetimeDays: 1, lifetimeCensored: false, endUser: true }, // end user
    { lifetimeDays: null, lifetimeCensored: null, endUser: false }, // unknown
  ]);
  // 2 short out of 4 decidable non-end-user items.
  assert.equal(r.count, 2);
  assert.equal(r.n, 4);
  assert.equal(r.share, 0.5);
  assert.equal(r.endUserExcluded, 1);
  assert.equal(r.unknown, 1);
  assert.equal(r.undetermined, 1);
  assert.deepEqual([r.low, r.high], [wilson(2, 4).low, wilson(2, 4).high]);
});

test('short-lived share of nothing is null, not NaN', () => {
  const r = shortLivedShare([]);
  assert.equal(r.share, null);
  assert.equal(r.n, 0);
});
