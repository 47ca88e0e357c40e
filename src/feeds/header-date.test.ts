import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { betterHeaderDate, declaredCountOf, headerDateOf } from './header-date.js';

describe('header dates and counts', () => {
  test('the spellings real feeds use', () => {
    const cases: Array<[string, string | null]> = [
      ['# Last updated: 2021-02-10 13:34:57 UTC                        #', '2021-02-10T13:34:57.000Z'],
      ['# Generated on 2016-02-23 14:55:49 UTC                                   #', '2016-02-23T14:55:49.000Z'],
      ['## Feed generated at: 2016-11-12 15:16 ', '2016-11-12T15:16:00.000Z'],
      ['# Source File Date: Mon Jun  1 04:30:01 UTC 2015', '2015-06-01T04:30:01.000Z'],
      ['; Last-Modified: Mon, 14 Sep 2015 04:39:22 GMT', '2015-09-14T04:39:22.000Z'],
      ['#    updated: Tue Dec 15 15:33:38 2015 UTC', '2015-12-15T15:33:38.000Z'],
      ['; Spamhaus DROP List 2015/09/14 - (c) 2015 The Spamhaus Project', '2015-09-14T00:00:00.000Z'],
      ['# Last updated: soon', null],
      ['# Generated on 2021-02-30 00:00:00 UTC', null],
      ['# Update Frequency: 12 hours', null],
    ];
    for (const [line, at] of cases) assert.equal(headerDateOf(line)?.at ?? null, at, line);
  });

  test('the upstream date outranks the copy date and the title date', () => {
    const copy = headerDateOf('# This File Date  : Mon Jun  1 19:09:09 UTC 2015');
    const source = headerDateOf('# Source File Date: Mon Jun  1 04:30:01 UTC 2015');
    assert.equal(betterHeaderDate(copy, source), source);
    assert.equal(betterHeaderDate(source, copy), source);
    const title = headerDateOf('; Spamhaus DROP List 2015/09/13 - (c)');
    const modified = headerDateOf('; Last-Modified: Mon, 14 Sep 2015 04:39:22 GMT');
    assert.equal(betterHeaderDate(title, modified), modified);
  });

  test('stated counts', () => {
    assert.equal(declaredCountOf('# END (2) entries'), 2);
    assert.equal(declaredCountOf('# END (1 entries)'), 1);
    assert.equal(declaredCountOf('# of entries: 2'), 2);
    assert.equal(declaredCountOf('# Entries         : 997 subnets, 18338381 unique IPs'), 997);
    assert.equal(declaredCountOf('# END'), null);
  });
});
