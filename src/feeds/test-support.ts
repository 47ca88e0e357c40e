/**
 * Shared checks for the feed reader tests (imported only by *.test.ts files).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeedSnapshot } from '../domain/feed-entry.js';
import { snapshotCountProblems } from '../domain/feed-entry.js';

/** Asserts the counting invariants; `oneItemPerLine` adds itemsRead = dataLines. */
export function assertCounts(s: FeedSnapshot, oneItemPerLine = true): void {
  assert.deepEqual(snapshotCountProblems(s), []);
  if (oneItemPerLine) assert.equal(s.itemsRead, s.dataLines, 'one item per data line');
}

/** The shared real-world samples folder, or null when this checkout has none. */
export function feedCorpus(): string | null {
  const dir = resolve(process.cwd(), '../shared/corpus/feeds');
  return existsSync(dir) ? dir : null;
}

export const NO_CORPUS = 'shared corpus ../shared/corpus/feeds is absent in this checkout';

/** The rejects as "line: reason" strings, for compact assertions. */
export function rejectSummary(s: FeedSnapshot): string[] {
  return s.rejects.map((r) => `${r.line}: ${r.reason}`);
}
