import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCoverage } from './coverage.js';

// Home: four /16 blocks: 192.0/16 = 192*256+0 = 49152, 198.51/16 = 198*256+51 = 50739, and two
// blocks (numbers 1 and 2) no sighting comes from. 203.0/16 (203.0.113.0/24) is not home.
const HOME = new Set([49152, 50739, 1, 2]);

test('share of home /16 blocks seen, overall and per sensor, by hand', () => {
  const c = computeCoverage(HOME, [
    { sensor: 'tokyo', srcIp: '192.0.2.1' }, // home 192.0
    { sensor: 'tokyo', srcIp: '192.0.2.200' }, // same block again
    { sensor: 'tokyo', srcIp: '198.51.100.7' }, // home 198.51
    { sensor: 'tokyo', srcIp: '2001:db8::1' }, // ipv6
    { sensor: 'osaka', srcIp: '203.0.113.9' }, // outside home
    { sensor: 'osaka', srcIp: '::ffff:192.0.2.9' }, // mapped: home 192.0
    { sensor: 'osaka', srcIp: '203.0.113.10' }, // outside home
    { sensor: 'osaka', srcIp: 'garbage' }, // invalid
  ]);
  // total: blocks {192.0, 198.51} = 2 of 4 → 0.5; 8 sightings = 4 home + 2 outside + 1 ipv6 + 1 invalid
  assert.deepEqual(c.total, { seen: 2, home: 4, share: 0.5, sightings: 8, inHome: 4, outsideHome: 2, ipv6: 1, invalid: 1 });
  assert.deepEqual(c.perSensor, [
    // osaka: {192.0} = 1 of 4 → 0.25
    { sensor: 'osaka', seen: 1, home: 4, share: 0.25, sightings: 4, inHome: 1, outsideHome: 2, ipv6: 0, invalid: 1 },
    // tokyo: {192.0, 198.51} = 2 of 4 → 0.5
    { sensor: 'tokyo', seen: 2, home: 4, share: 0.5, sightings: 4, inHome: 3, outsideHome: 0, ipv6: 1, invalid: 0 },
  ]);
});

test('no home blocks and no sightings give zeros, not NaN', () => {
  assert.deepEqual(computeCoverage(new Set(), [{ sensor: 's', srcIp: '192.0.2.1' }]).total, {
    seen: 0, home: 0, share: 0, sightings: 1, inHome: 0, outsideHome: 1, ipv6: 0, invalid: 0,
  });
  assert.deepEqual(computeCoverage(HOME, []), {
    total: { seen: 0, home: 4, share: 0, sightings: 0, inHome: 0, outsideHome: 0, ipv6: 0, invalid: 0 },
    perSensor: [],
  });
});

test('accepts any iterable, e.g. a generator', () => {
  function* gen() {
    for (let i = 0; i < 256; i++) yield { sensor: 'a', srcIp: `198.51.100.${i}` };
  }
  const c = computeCoverage(HOME, gen());
  assert.equal(c.total.seen, 1);
  assert.equal(c.total.inHome, 256);
  assert.equal(c.total.share, 0.25);
});
