import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createS25rClassifier } from './classify-ptr.js';
import { endUserRange } from './end-user-range.js';

const flags = (yes: number, n: number): { endUser: boolean }[] =>
  Array.from({ length: n }, (_, i) => ({ endUser: i < yes }));

describe('endUserRange', () => {
  test('the paper’s DNS-server figures: 31% raw, 14% control, 17% corrected', () => {
    const r = endUserRange(flags(31, 100), flags(14, 100));
    assert.equal(r.raw.count, 31);
    assert.equal(r.raw.share, 0.31);
    assert.equal(r.control.share, 0.14);
    assert.equal(r.corrected, 0.17); // (31·100 − 14·100) / (100·100) = 1700 / 10000
    assert.deepEqual(r.range, [0.17, 0.31]);
  });

  test('the paper’s C&C-server figures: 28% raw, 17% control, 11% corrected', () => {
    const r = endUserRange(flags(28, 100), flags(17, 100));
    assert.equal(r.corrected, 0.11);
    assert.deepEqual(r.range, [0.11, 0.28]);
  });

  test('sets of different sizes: 3 of 10 raw, 1 of 20 control -> 25%', () => {
    // 0.30 − 0.05 = 0.25; (3·20 − 1·10) / 200 = 50 / 200
    assert.equal(endUserRange(flags(3, 10), flags(1, 20)).corrected, 0.25);
  });

  test('the correction is floored at 0 when the control rate is higher', () => {
    const r = endUserRange(flags(1, 10), flags(5, 10));
    assert.equal(r.corrected, 0);
    assert.deepEqual(r.range, [0, 0.1]);
  });

  test('an empty sample or control gives no range, not a made-up number', () => {
    assert.equal(endUserRange([], flags(1, 10)).range, null);
    assert.equal(endUserRange(flags(1, 10), []).corrected, null);
    assert.equal(endUserRange([], []).raw.share, null);
  });

  test('each share carries its Wilson interval', () => {
    const r = endUserRange(flags(31, 100), flags(14, 100));
    assert.ok(r.raw.low !== null && r.raw.high !== null);
    assert.ok(Math.abs(r.raw.low - 0.2278) < 1e-3 && Math.abs(r.raw.high - 0.4063) < 1e-3);
  });

  test('end to end from PTR names', () => {
    const classify = createS25rClassifier();
    const sample = [
      { ip: '192.0.2.10', ptr: 'host12345.isp.example' },
      { ip: '192.0.2.11', ptr: null },
      { ip: '192.0.2.12', ptr: 'ns1.example' },
      { ip: '192.0.2.13', ptr: 'www.example' },
    ].map(classify);
    const control = [
      { ip: '198.51.100.1', ptr: 'mx1.example.test' },
      { ip: '198.51.100.2', ptr: 'web12345.hosting.example' },
      { ip: '198.51.100.3', ptr: 'ns.example.test' },
      { ip: '198.51.100.4', ptr: 'mail-xy1-f2.google.com' },
    ].map(classify);
    const r = endUserRange(sample, control);
    assert.equal(r.raw.share, 0.5); // 2 of 4
    assert.equal(r.control.share, 0.25); // 1 of 4: the google.com name is whitelisted
    assert.deepEqual(r.range, [0.25, 0.5]);
  });
});
