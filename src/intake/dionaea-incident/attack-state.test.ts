import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttackState } from './attack-state.js';
import type { Attack } from './attack-state.js';

const attack = (srcIp: string): Attack => ({ srcIp, srcPort: 1, dstIp: null, dstPort: null, inbound: true, vulnerability: null, vulnerabilityRaw: null });

test('the state forgets the oldest connection when full and a freed one at once', () => {
  const s = new AttackState(2);
  s.set('1', attack('192.0.2.1'));
  s.set('2', attack('192.0.2.2'));
  s.set('3', attack('192.0.2.3'));
  assert.equal(s.size, 2);
  assert.equal(s.get('1'), undefined);
  assert.equal(s.get('3')?.srcIp, '192.0.2.3');
  s.delete('3');
  assert.equal(s.get('3'), undefined);
});
