import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { reach, reachRange, wilson, Z95 } from './study-math.js';

function near(actual: number | null, expected: number, eps = 1e-4): void {
  assert.ok(actual !== null, 'expected a number, got null');
  assert.ok(Math.abs(actual - expected) < eps, `expected ${expected} ± ${eps}, got ${actual}`);
}

describe('wilson', () => {
  test('n = 0 has no share and no interval', () => {
    assert.deepEqual(wilson(0, 0), { share: null, low: null, high: null });
  });

  test('5 of 10 by hand', () => {
    // z² = 3.841459; denominator 1 + z²/10 = 1.3841459; centre (0.5 + 0.1920730) / 1.3841459 = 0.5.
    // half = (1.959964 / 1.3841459) × sqrt(0.5·0.5/10 + 3.841459/400)
    //      = 1.4159978 × sqrt(0.025 + 0.0096036) = 1.4159978 × 0.1860205 = 0.2634045.
    const w = wilson(5, 10);
    assert.equal(w.share, 0.5);
    near(w.low, 0.5 - 0.2634045);
    near(w.high, 0.5 + 0.2634045);
  });

  test('0 of n and n of n have the closed forms z²/(n+z²) and n/(n+z²)', () => {
    // 3.841459 / 13.841459 = 0.277533; 10 / 13.841459 = 0.722467.
    const none = wilson(0, 10);
    assert.equal(none.share, 0);
    assert.equal(none.low, 0);
    near(none.high, 0.277533);
    const all = wilson(10, 10);
    assert.equal(all.high, 1);
    near(all.low, 0.722467);
  });

  test('31 of 100 (the paper’s raw DNS-server end-user share) stays around 0.31', () => {
    // centre = (0.31 + 0.0192073) / 1.0384146 = 0.317028; half = 1.887458 × sqrt(0.002139 + 0.000096) = 0.089232.
    const w = wilson(31, 100);
    near(w.low, 0.227797);
    near(w.high, 0.406261);
  });

  test('a larger z widens the interval', () => {
    const narrow = wilson(20, 50, 1);
    const wide = wilson(20, 50, Z95);
    assert.ok(narrow.low !== null && wide.low !== null && narrow.high !== null && wide.high !== null);
    assert.ok(wide.low < narrow.low && wide.high > narrow.high);
  });

  test('impossible counts throw', () => {
    assert.throws(() => wilson(11, 10), RangeError);
    assert.throws(() => wilson(-1, 10), RangeError);
    assert.throws(() => wilson(1.5, 10), RangeError);
    assert.throws(() => wilson(1, 10, 0), RangeError);
    assert.throws(() => wilson(1, 10, Number.NaN), RangeError);
  });
});

describe('reach', () => {
  test('p^(k+1) by hand', () => {
    assert.equal(reach(0.5, 0), 0.5);
    assert.equal(reach(0.5, 1), 0.25);
    assert.equal(reach(0.5, 2), 0.125);
    near(reach(0.4, 1), 0.16, 1e-12);
    near(reach(0.4, 2), 0.064, 1e-12);
    assert.equal(reach(1, 7), 1);
    assert.equal(reach(0, 3), 0);
  });

  test('bad p or k throws', () => {
    assert.throws(() => reach(1.1, 1), RangeError);
    assert.throws(() => reach(-0.1, 1), RangeError);
    assert.throws(() => reach(Number.NaN, 1), RangeError);
    assert.throws(() => reach(0.5, -1), RangeError);
    assert.throws(() => reach(0.5, 1.5), RangeError);
  });

  test('reachRange sorts its bounds', () => {
    assert.deepEqual(reachRange([0.5, 0.4], 0), [0.4, 0.5]);
  });

  /*
   * The paper quotes "16–25% for one stone, 6–12% for two and 1–3% for five".
   * Which per-hop p reproduces that?
   * - One stone, p^2: 0.4² = 16%, 0.5² = 25%. Exact for p = 0.4–0.5.
   * - Two stones, p^3: 0.4³ = 6.4%, 0.5³ = 12.5%. Matches "6–12%" if the paper truncates (or rounds
   *   half to even); plain rounding would say 6–13%.
   * - Five stones, p^6: 0.4⁶ = 0.41%, 0.5⁶ = 1.56%. Does NOT match "1–3%". The quoted figure is
   *   p^5 (0.4⁵ = 1.02%, 0.5⁵ = 3.13%), i.e. five hops in all (four stones plus the final host), or
   *   the paper dropped the +1 for that line. No single p range gives 1–3% under p^6 while also
   *   giving 16–25% under p^2: p^6 ≥ 1% needs p ≥ 0.464, but p^2 = 16% needs p = 0.4.
   * This project keeps reach = p^(k+1) throughout and reports 0.4–1.6% for five stones.
   */
  test('the paper’s quoted reach figures, p = 0.4–0.5', () => {
    const pct = (r: [number, number]): [number, number] => [r[0] * 100, r[1] * 100];
    const one = pct(reachRange([0.4, 0.5], 1));
    near(one[0], 16, 1e-9);
    near(one[1], 25, 1e-9);
    const two = pct(reachRange([0.4, 0.5], 2));
    assert.deepEqual(two.map(Math.trunc), [6, 12]);
    const five = pct(reachRange([0.4, 0.5], 5));
    near(five[0], 0.4096, 1e-9);
    near(five[1], 1.5625, 1e-9);
    assert.notDeepEqual(five.map(Math.round), [1, 3], 'p^(k+1) does not reproduce the paper’s 1–3% for five');
    // The quoted 1–3% is what four stones (five hops) give.
    assert.deepEqual(pct(reachRange([0.4, 0.5], 4)).map(Math.trunc), [1, 3]);
    // And no p with p^2 = 16% gives p^6 >= 1%.
    assert.ok(reach(0.4, 5) < 0.01);
  });
});
