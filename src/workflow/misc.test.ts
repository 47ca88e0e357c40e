import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoWeek, weekStart } from './iso-week.js';
import { newId, newTicket, newTrackingId, normalizeTicket, TICKET_ALPHABET } from './identifiers.js';

test('ISO weeks at year edges', () => {
  assert.equal(isoWeek(new Date('2024-05-06T00:00:00Z')), '2024-W19');
  assert.equal(isoWeek(new Date('2024-05-12T23:59:59Z')), '2024-W19');
  assert.equal(isoWeek(new Date('2021-01-03T12:00:00Z')), '2020-W53');
  assert.equal(isoWeek(new Date('2024-12-30T00:00:00Z')), '2025-W01');
  assert.equal(weekStart(new Date('2024-05-12T23:59:59Z')).toISOString(), '2024-05-06T00:00:00.000Z');
});

test('tracking IDs: 144 random bits, URL-safe, distinct; tickets unambiguous', () => {
  const ids = new Set(Array.from({ length: 1000 }, newTrackingId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{24}$/);
  for (const c of '01IO') assert.ok(!TICKET_ALPHABET.includes(c));
  for (let i = 0; i < 200; i++) assert.match(newTicket(), /^CC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
  assert.equal(normalizeTicket(' cc-7k4m-q2 '), 'CC-7K4M-Q2');
  assert.equal(normalizeTicket('7K4MQ2'), 'CC-7K4M-Q2');
  assert.equal(normalizeTicket('CC-7K4M-Q0'), null);
  assert.equal(normalizeTicket('CC-7K4M-Q22'), null);
});

test('internal ids made one after the other sort one after the other, and never repeat', () => {
  const ids = Array.from({ length: 20_000 }, () => newId('inc'));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  for (const id of ids.slice(0, 50)) assert.match(id, /^inc_[0-9a-z]{13}[A-Za-z0-9_-]{11}$/);
  // The random part still differs between ids made in the same millisecond.
  assert.notEqual(ids[0]?.slice(-11), ids[1]?.slice(-11));
});
