import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCIDENT_STATES, acceptsAnswer, awaitsIdentification, canTransition, isClosed, isIncidentState, nextStates, stateTimestampColumn, type IncidentState } from './incident-state.js';

// Written out independently of the module's table: every allowed (from → to); everything else is refused.
const ALLOWED = `
detected>requested
requested>requested requested>identified requested>not-found requested>not-our-customer
identified>identified identified>not-found identified>not-our-customer identified>notified identified>visited identified>downloaded identified>completed identified>remediated identified>reinfected
not-found>requested not-found>identified not-found>not-found not-found>not-our-customer
not-our-customer>requested not-our-customer>identified not-our-customer>not-found not-our-customer>not-our-customer
notified>notified notified>visited notified>downloaded notified>completed notified>remediated notified>reinfected
visited>downloaded visited>completed visited>remediated visited>reinfected
downloaded>completed downloaded>remediated downloaded>reinfected
completed>remediated completed>reinfected
remediated>reinfected
`.trim().split(/\s+/);

test('canTransition: all 121 pairs match the written table', () => {
  const allowed = new Set(ALLOWED);
  let yes = 0;
  for (const from of INCIDENT_STATES) {
    for (const to of INCIDENT_STATES) {
      const expected = allowed.has(`${from}>${to}`);
      assert.equal(canTransition(from, to), expected, `${from} → ${to}`);
      if (expected) yes++;
    }
  }
  assert.equal(yes, allowed.size);
  assert.equal(INCIDENT_STATES.length, 11);
});

test('every state is reachable from detected; reinfected is final', () => {
  const seen = new Set<IncidentState>(['detected']);
  const queue: IncidentState[] = ['detected'];
  while (queue.length > 0) {
    for (const n of nextStates(queue.shift() as IncidentState)) if (!seen.has(n)) (seen.add(n), queue.push(n));
  }
  assert.deepEqual([...seen].sort(), [...INCIDENT_STATES].sort());
  assert.deepEqual(nextStates('reinfected'), []);
});

test('no step goes back from the user side to identification', () => {
  for (const from of ['notified', 'visited', 'downloaded', 'completed', 'remediated', 'reinfected'] as const) {
    for (const to of ['detected', 'requested', 'identified', 'not-found', 'not-our-customer'] as const) assert.equal(canTransition(from, to), false, `${from} → ${to}`);
  }
  for (const s of INCIDENT_STATES) assert.equal(canTransition(s, 'detected'), false);
});

test('the whole happy path is allowed step by step', () => {
  const path: IncidentState[] = ['detected', 'requested', 'identified', 'notified', 'notified', 'visited', 'downloaded', 'completed', 'remediated', 'reinfected'];
  for (let i = 1; i < path.length; i++) assert.ok(canTransition(path[i - 1] as IncidentState, path[i] as IncidentState), `${path[i - 1]} → ${path[i]}`);
});

test('predicates and names', () => {
  assert.deepEqual(INCIDENT_STATES.filter(acceptsAnswer), ['requested', 'identified', 'not-found', 'not-our-customer']);
  assert.deepEqual(INCIDENT_STATES.filter(awaitsIdentification), ['detected', 'requested', 'not-found']);
  assert.deepEqual(INCIDENT_STATES.filter(isClosed), ['completed', 'remediated', 'reinfected']);
  assert.equal(stateTimestampColumn('not-our-customer'), 'not_our_customer_at');
  assert.equal(isIncidentState('notified'), true);
  assert.equal(isIncidentState('NOTIFIED'), false);
  assert.equal(isIncidentState(3), false);
});
