import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarise } from './collect-rounds.js';
import type { RoundObservation } from './types.js';

const obs = (round: number, status: RoundObservation['status'], addresses: string[]): RoundObservation => ({
  round,
  status,
  addresses,
  firstAddress: addresses[0] ?? null,
  authServer: null,
});

test('a failed round between two equal rounds is not flux; order within a round does not matter', () => {
  const e = summarise('a.test', [obs(1, 'ok', ['192.0.2.1', '192.0.2.2']), obs(2, 'timeout', []), obs(3, 'ok', ['192.0.2.2', '192.0.2.1'])]);
  assert.equal(e.fastFlux, false);
  assert.deepEqual(e.changedRounds, []);
});

test('a changed set after a failed round counts against the last successful round', () => {
  const e = summarise('a.test', [obs(1, 'ok', ['192.0.2.1']), obs(2, 'servfail', []), obs(3, 'ok', ['192.0.2.9']), obs(4, 'ok', ['192.0.2.9'])]);
  assert.equal(e.fastFlux, true);
  assert.deepEqual(e.changedRounds, [3]);
  assert.deepEqual(e.distinctAddresses, ['192.0.2.1', '192.0.2.9']);
});
