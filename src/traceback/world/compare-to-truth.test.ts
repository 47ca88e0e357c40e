import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareToTruth } from './compare-to-truth.js';
import { generateWorld } from './generate-world.js';

const truth = generateWorld({ seed: 5, names: 120, controlNames: 40 }).truth;
const eu = truth.shares['cc.endUser'];

test('an interval around the truth is within; one beside it is outside and names the causes', () => {
  assert.ok(eu?.share !== null && eu !== undefined);
  const t = eu.share as number;
  const [inside, below, above] = compareToTruth(
    [
      { key: 'cc.endUser', estimate: t, interval: [t - 0.05, t + 0.05] },
      { key: 'cc.endUser', estimate: t + 0.2, interval: [t + 0.1, t + 0.3] },
      { key: 'cc.endUser', estimate: t - 0.2, interval: [t - 0.3, t - 0.1] },
    ],
    truth,
  );
  assert.equal(inside?.within, true);
  assert.equal(inside?.error, 0);
  assert.equal(below?.within, false);
  assert.match(below?.why ?? '', /below .* S25R misses \d+ of \d+ end-user/);
  assert.equal(above?.within, false);
  assert.match(above?.why ?? '', /above/);
});

test('a lower bound holds when the truth is at or above it', () => {
  const t = truth.shares['cc.unmanaged']?.share as number;
  const [ok, bad] = compareToTruth(
    [
      { key: 'cc.unmanaged', estimate: t / 2, interval: [t / 3, t / 1.5], bound: 'lower' },
      { key: 'cc.unmanaged', estimate: t + 0.2, interval: [t + 0.1, t + 0.3], bound: 'lower' },
    ],
    truth,
  );
  assert.equal(ok?.within, true);
  assert.equal(bad?.within, false);
  assert.match(bad?.why ?? '', /blocklists list \d+ of \d+ unmanaged/);
});

test('unknown keys, missing intervals and per-country keys', () => {
  const [unknown, noInterval] = compareToTruth(
    [
      { key: 'cc.nonsense', estimate: 0.5, interval: [0, 1] },
      { key: 'cc.endUser', estimate: 0.5, interval: null },
    ],
    truth,
  );
  assert.equal(unknown?.within, false);
  assert.match(unknown?.why ?? '', /no true share/);
  assert.equal(noInterval?.within, false);
  const countryKey = Object.keys(truth.shares).find((k) => k.startsWith('cc.endUser@'));
  assert.ok(countryKey !== undefined);
  const [c] = compareToTruth([{ key: countryKey, estimate: null, interval: [0, 1] }], truth);
  assert.equal(c?.within, true);
  assert.match(c?.why ?? '', /within \[0\.0%, 100\.0%\]/);
});
