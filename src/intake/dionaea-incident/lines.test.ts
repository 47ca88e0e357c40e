import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from './lines.js';
import type { Line } from './lines.js';

function file(t: TestContext, content: Buffer | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cleancenter-lines-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'x.jsonl');
  writeFileSync(path, content);
  return path;
}

async function all(path: string, maxLineBytes?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(path, maxLineBytes === undefined ? {} : { maxLineBytes })) out.push(l);
  return out;
}

test('splits lines, skips blanks but counts them, drops CR, flags a last line without newline', async (t) => {
  const lines = await all(file(t, 'a\r\n\n  \nb\nc'));
  assert.deepEqual(lines, [
    { kind: 'text', number: 1, text: 'a', lastWithoutNewline: false },
    { kind: 'text', number: 4, text: 'b', lastWithoutNewline: false },
    { kind: 'text', number: 5, text: 'c', lastWithoutNewline: true },
  ]);
});

test('non-UTF-8 bytes make a bad-utf8 line; the next line is fine', async (t) => {
  const lines = await all(file(t, Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\nok\n')])));
  assert.equal(lines[0]?.kind, 'bad-utf8');
  assert.deepEqual(lines[1], { kind: 'text', number: 2, text: 'ok', lastWithoutNewline: false });
});

test('a line over the limit is reported with its size and a bounded head, across chunk borders', async (t) => {
  const huge = 'x'.repeat(700 * 1024);
  const lines = await all(file(t, `first\n${huge}\nlast\n`), 300 * 1024);
  assert.equal(lines.length, 3);
  const big = lines[1];
  assert.equal(big?.kind, 'oversized');
  if (big?.kind === 'oversized') {
    assert.equal(big.number, 2);
    assert.equal(big.bytes, 700 * 1024);
    assert.ok(big.head.length <= 4096);
  }
  assert.deepEqual(lines[2], { kind: 'text', number: 3, text: 'last', lastWithoutNewline: false });
});

test('a multi-byte character split between chunks survives', async (t) => {
  const text = `${'a'.repeat(256 * 1024 - 1)}é\n`;
  const lines = await all(file(t, text));
  assert.equal(lines[0]?.kind === 'text' ? lines[0].text.endsWith('é') : false, true);
});
