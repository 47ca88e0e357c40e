import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReadItem } from '../reader.js';
import { cowrieReader } from './index.js';

// Real cowrie logs in the shared corpus (never copied into the project).
const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/honeypots/cowrie/', import.meta.url));
const DOWNLOADS = `${CORPUS}kareiva-cowrie-2018-download-sessions.jsonl`;
const DAY = `${CORPUS}kareiva-cowrie.json.2018-05-06`;

async function tally(path: string): Promise<{ items: ReadItem[]; count: Map<string, number> }> {
  const items: ReadItem[] = [];
  const count = new Map<string, number>();
  for await (const item of cowrieReader.read(path)) {
    items.push(item);
    const k = item.kind === 'event' ? item.event.stage : item.kind === 'reject' ? 'reject' : `ignored:${item.ignored.kind}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return { items, count };
}

function lineCount(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').length;
}

describe('cowrieReader on the real 2018 corpus', () => {
  test('download sessions: 21 downloads and 3 failed downloads map as documented', async (t) => {
    if (!existsSync(DOWNLOADS)) return t.skip(`corpus absent: ${DOWNLOADS}`);
    const { items, count } = await tally(DOWNLOADS);
    assert.equal(items.length, lineCount(DOWNLOADS), 'records read = events + rejects + ignored');
    assert.equal(items.length, 251);
    assert.equal(count.get('reject'), undefined);
    // Every cowrie.session.file_download line is a download event with its SHA-256.
    assert.equal(count.get('download'), 21);
    const downloads = items.flatMap((i) => (i.kind === 'event' && i.event.stage === 'download' ? [i.event] : []));
    assert.ok(downloads.every((e) => /^[0-9a-f]{64}$/.test(e.sample?.sha256 ?? '')));
    // Cowrie logs output redirected to a file ("> /dev/null") as a download of that path: no URL.
    assert.equal(downloads.filter((e) => e.sample?.url === null).length, 3);
    // All three failures repeat a URL whose wget line was already the offer.
    assert.equal(count.get('ignored:cowrie.session.file_download.failed'), 3);
    assert.equal(count.get('offer'), 19);
    assert.equal(count.get('connect'), 14);
    assert.equal(count.get('exploit'), 14);
    // 11 sessions ran what they fetched (10 on a one-liner, reported at close; 1 on a later line: ./servic);
    // the /root/exp, xcudp, tdff and linuxxzw runs have no download and give no execution.
    assert.equal(count.get('execution'), 11);
    const keys = items.flatMap((i) => (i.kind === 'event' ? [i.event.key] : []));
    assert.equal(new Set(keys).size, keys.length, 'keys are unique');
  });

  test('one day of 2018 log: connects, two logins, the rest ignored', async (t) => {
    if (!existsSync(DAY)) return t.skip(`corpus absent: ${DAY}`);
    const { items, count } = await tally(DAY);
    assert.equal(items.length, lineCount(DAY));
    assert.equal(count.get('connect'), 64);
    assert.equal(count.get('exploit'), 2);
    assert.equal(count.get('ignored:cowrie.login.failed'), 2);
    assert.equal(count.get('reject'), undefined);
  });
});
