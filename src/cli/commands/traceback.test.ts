import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { listSpec } from './traceback.js';

test('list specs: a path with optional format, date and feed', () => {
  assert.deepEqual(listSpec('feeds/tf.csv'), { path: 'feeds/tf.csv' });
  assert.deepEqual(listSpec('drop.txt,format=spamhaus,date=2024-05-01,feed=drop'), { path: 'drop.txt', format: 'spamhaus', snapshotDate: '2024-05-01', feed: 'drop' });
  assert.throws(() => listSpec('x,date=May'), InvalidArgumentError);
  assert.throws(() => listSpec('x,colour=red'), InvalidArgumentError);
  assert.throws(() => listSpec('x,format'), InvalidArgumentError);
  assert.throws(() => listSpec(''), InvalidArgumentError);
});
