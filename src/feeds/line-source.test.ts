import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { linesOfBuffer, linesOfFile, MAX_LINE_BYTES } from './line-source.js';

describe('line source', () => {
  test('file and buffer give the same lines: CRLF, BOM, no final newline, bad bytes, huge line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFFfirst\r\n\nthird '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
      Buffer.alloc(MAX_LINE_BYTES + 10, 0x78),
      Buffer.from('\nlast'),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'feeds-lines-'));
    try {
      const path = join(dir, 'f.txt');
      writeFileSync(path, bytes);
      const fromFile = [];
      for await (const l of linesOfFile(path)) fromFile.push(l);
      const fromBuffer = [...linesOfBuffer(bytes)];
      for (const lines of [fromFile, fromBuffer]) {
        assert.deepEqual(lines.map((l) => l.no), [1, 2, 3, 4, 5]);
        assert.equal(lines[0]?.text, 'first');
        assert.equal(lines[1]?.text, '');
        assert.equal(lines[2]?.error, 'not valid UTF-8 (byte 0xc3 at offset 6)');
        assert.equal(lines[3]?.error, `line longer than ${MAX_LINE_BYTES} bytes (${MAX_LINE_BYTES + 10} or more)`);
        assert.ok((lines[3]?.text.length ?? 0) <= 4096);
        assert.deepEqual(lines[4], { no: 5, text: 'last' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
