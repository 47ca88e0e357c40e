import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitLines, type SplitLine } from './line-splitter.js';

/** fs read streams deliver 64 KiB chunks by default; the tests put boundaries there on purpose. */
const CHUNK = 64 * 1024;

async function all(path: string, max: number): Promise<SplitLine[]> {
  const out: SplitLine[] = [];
  for await (const l of splitLines(path, max)) out.push(l);
  return out;
}

describe('splitLines', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-lines-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('LF, CRLF, empty lines, no final newline', async () => {
    const p = join(dir, 'a');
    await writeFile(p, 'one\r\ntwo\n\nthree');
    assert.deepEqual(
      (await all(p, 100)).map((l) => [l.line, l.text]),
      [[1, 'one'], [2, 'two'], [3, ''], [4, 'three']],
    );
  });

  test('CR and LF split across a chunk boundary; a UTF-8 character split across one', async () => {
    const p = join(dir, 'b');
    const first = Buffer.alloc(CHUNK - 1, 0x78);
    // "é" is two bytes: put its first byte last in the second chunk.
    const second = Buffer.alloc(CHUNK - 2, 0x79);
    await writeFile(p, Buffer.concat([first, Buffer.from('\r\n'), second, Buffer.from('é\n')]));
    const lines = await all(p, 2 * CHUNK);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.text, first.toString());
    assert.equal(lines[1]?.text, `${second.toString()}é`);
  });

  test('an over-long line is reported with its head, and the next line is intact', async () => {
    const p = join(dir, 'c');
    await writeFile(p, `${'z'.repeat(3 * CHUNK)}\nafter\n`);
    const lines = await all(p, 1000);
    assert.deepEqual(lines.map((l) => [l.line, l.text]), [[1, null], [2, 'after']]);
    assert.equal(lines[0]?.head, 'z'.repeat(80));
  });

  test('an empty file has no lines', async () => {
    const p = join(dir, 'd');
    await writeFile(p, '');
    assert.deepEqual(await all(p, 10), []);
  });
});
