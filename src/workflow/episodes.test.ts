import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attackKey, groupSightings, summarise, type Sighting } from './episodes.js';

const DAY = 86_400_000;
const s = (time: string, over: Partial<Sighting> = {}): Sighting => ({ time, srcPort: 40001, dstPort: 445, dstIp: '203.0.113.1', protocol: 'smb', stage: 'exploit', vulnerability: null, botName: null, ...over });

test('a gap longer than the limit starts a new episode; equal to the limit does not', () => {
  const g = groupSightings([s('2024-05-01T00:00:00.000Z'), s('2024-05-08T00:00:00.000Z'), s('2024-05-15T00:00:00.001Z')], [], 7 * DAY);
  assert.equal(g.fresh.length, 2);
  assert.equal(g.fresh[0]?.firstSeen, '2024-05-01T00:00:00.000Z');
  assert.equal(g.fresh[0]?.lastSeen, '2024-05-08T00:00:00.000Z');
  assert.equal(g.fresh[1]?.firstSeen, '2024-05-15T00:00:00.001Z');
});

test('sightings near a known incident extend it; after its closing they do not', () => {
  const known = [{ incidentId: 'a', firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-02T00:00:00.000Z', closedAt: null }];
  const g = groupSightings([s('2024-05-01T00:00:00.000Z'), s('2024-05-02T00:00:00.000Z'), s('2024-05-05T00:00:00.000Z')], known, 7 * DAY);
  assert.equal(g.fresh.length, 0);
  assert.equal(g.known.get('a')?.lastSeen, '2024-05-05T00:00:00.000Z');
  const closed = [{ ...known[0] as (typeof known)[number], closedAt: '2024-05-03T00:00:00.000Z' }];
  const h = groupSightings([s('2024-05-01T00:00:00.000Z'), s('2024-05-05T00:00:00.000Z')], closed, 7 * DAY);
  assert.equal(h.known.get('a')?.lastSeen, '2024-05-01T00:00:00.000Z');
  assert.equal(h.fresh.length, 1);
  assert.equal(h.fresh[0]?.firstSeen, '2024-05-05T00:00:00.000Z');
});

test('summary: attacks counted once per (ports, minute); strongest stage; sorted distinct names', () => {
  const sum = summarise([
    s('2024-05-01T10:00:01.000Z', { stage: 'connect', vulnerability: 'MS08-067' }),
    s('2024-05-01T10:00:30.000Z', { stage: 'download', botName: 'Demo.Bot.B' }),
    s('2024-05-01T10:05:00.000Z', { stage: 'exploit', vulnerability: 'MS04-011', botName: 'Demo.Bot.A' }),
    s('2024-05-01T10:05:00.000Z', { srcPort: 40002, stage: 'bogus' }),
  ]);
  assert.equal(sum.attackCount, 3);
  assert.equal(sum.strongestStage, 'download');
  assert.deepEqual(sum.vulnerabilities, ['MS04-011', 'MS08-067']);
  assert.deepEqual(sum.botNames, ['Demo.Bot.A', 'Demo.Bot.B']);
  assert.deepEqual(sum.observations.map((o) => [o[0], o[1]]), [['2024-05-01T10:00:01.000Z', 40001], ['2024-05-01T10:05:00.000Z', 40001], ['2024-05-01T10:05:00.000Z', 40002]]);
  assert.equal(attackKey('2024-05-01T10:00:59.999Z', null, 445), ':445:2024-05-01T10:00');
});
