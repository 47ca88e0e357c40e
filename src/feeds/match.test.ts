import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBlocklistMatcher } from './match.js';
import { parseFirehol } from './firehol/firehol-reader.js';
import { parsePlainList } from './plain/plain-reader.js';
import { parseSpamhaus } from './spamhaus/spamhaus-reader.js';

describe('blocklist matcher', () => {
  const drop = parseSpamhaus('192.0.2.0/24 ; SBL1\n2001:db8::/32 ; SBL2\n', { feed: 'drop', snapshotDate: '2015-09-14' });
  const asndrop = parseSpamhaus('AS64496 ; ZZ | EXAMPLE-AS\n', { feed: 'asndrop' });
  const netset = parseFirehol('# example_block\n192.0.2.128/25\n198.51.100.7\n', { feed: 'firehol' });
  const domains = parsePlainList('c2.example\n', { feed: 'domains' });
  const m = createBlocklistMatcher([drop, asndrop, netset, domains]);

  test('by CIDR, most specific first, and by exact IP', () => {
    assert.deepEqual(
      m.match('192.0.2.200').map((h) => `${h.feed}:${h.by}:${h.entry.value}`),
      ['firehol:cidr:192.0.2.128/25', 'drop:cidr:192.0.2.0/24'],
    );
    assert.deepEqual(m.match('198.51.100.7').map((h) => `${h.feed}:${h.by}`), ['firehol:ip']);
    assert.equal(m.match('192.0.2.1')[0]?.snapshotDate, '2015-09-14');
  });

  test('by ASN, and IPv6 in any spelling', () => {
    assert.deepEqual(m.match('203.0.113.1', 64496).map((h) => `${h.feed}:${h.by}:${h.entry.value}`), ['asndrop:asn:AS64496']);
    assert.deepEqual(m.feedsListing('2001:DB8:0::42', 64496), ['drop', 'asndrop']);
  });

  test('not listed, invalid input, and domain lists never match by IP', () => {
    assert.deepEqual(m.match('203.0.113.1'), []);
    assert.deepEqual(m.match('203.0.113.1', 64511), []);
    assert.deepEqual(m.match('not an ip', 64496), []);
    assert.deepEqual(m.match('192.0.2.256'), []);
  });
});
