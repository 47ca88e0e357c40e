import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FeedSnapshot } from './feed-entry.js';
import { feedEntryKey, snapshotCountProblems } from './feed-entry.js';

const base: FeedSnapshot = {
  feed: 'f',
  format: 'plain',
  source: 'f.txt',
  snapshotDate: null,
  snapshotAt: null,
  snapshotDateSource: 'unknown',
  declaredCount: null,
  entries: [{ kind: 'ip', value: '192.0.2.1', ip: '192.0.2.1', category: 'listed', ref: { file: 'f.txt', line: 2, row: null } }],
  rejects: [{ source: 'f.txt', line: 3, reason: 'not an IP address: "x"', raw: 'x' }],
  duplicates: 1,
  filtered: 2,
  filteredBy: { category: 2 },
  linesRead: 7,
  comments: 1,
  blank: 1,
  dataLines: 5,
  itemsRead: 5,
  warnings: [],
};

describe('feed entry rules', () => {
  test('a consistent snapshot has no count problems', () => {
    assert.deepEqual(snapshotCountProblems(base), []);
  });
  test('each broken invariant is named', () => {
    assert.deepEqual(snapshotCountProblems({ ...base, linesRead: 8 }), ['linesRead 8 != comments 1 + blank 1 + dataLines 5']);
    assert.deepEqual(snapshotCountProblems({ ...base, duplicates: 0 }), ['itemsRead 5 != entries 1 + rejects 1 + duplicates 0 + filtered 2']);
    assert.deepEqual(snapshotCountProblems({ ...base, filteredBy: { category: 1 } }), ['filteredBy sums to 1, filtered is 2']);
  });
  test('keys separate kinds', () => {
    assert.equal(feedEntryKey({ kind: 'domain', value: 'c2.example' }), 'domain:c2.example');
    assert.notEqual(feedEntryKey({ kind: 'ip', value: '192.0.2.1' }), feedEntryKey({ kind: 'url', value: '192.0.2.1' }));
  });
});
