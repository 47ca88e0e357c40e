import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { readLines, type Line } from './read-lines.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-read-lines-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(bytes: Buffer, options: Parameters<typeof readLines>[1] = {}): Promise<Line[]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, bytes);
  const out: Line[] = [];
  for await (const batch of readLines(path, options)) out.push(...batch);
  return out;
}

describe('readLines', () => {
  test('empty file gives no lines', async () => {
    assert.deepEqual(await collect(Buffer.alloc(0)), []);
  });

  test('LF and CRLF, a blank line, and a last line without line end', async () => {
    const lines = await collect(Buffer.from('a\r\n\nb\nc'));
    assert.deepEqual(lines, [
      { ok: true, line: 1, text: 'a', terminated: true },
      { ok: true, line: 2, text: '', terminated: true },
      { ok: true, line: 3, text: 'b', terminated: true },
      { ok: true, line: 4, text: 'c', terminated: false },
    ]);
  });

  test('chunk boundaries (even inside a multi-byte character) do not change the result', async () => {
    const text = 'first line\nsecond ünïcödé line 🦠\r\nthird\n';
    const whole = await collect(Buffer.from(text));
    for (const chunkBytes of [1, 2, 3, 7, 13]) {
      assert.deepEqual(await collect(Buffer.from(text), { chunkBytes }), whole, `chunkBytes ${chunkBytes}`);
    }
    assert.equal(whole.length, 3);
  });

  test('invalid UTF-8 is a bad line; the next line is fine', async () => {
    const lines = await collect(Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from('next\n')]));
    assert.equal(lines.length, 3);
    const bad = lines[1];
    assert.ok(bad !== undefined && !bad.ok);
    assert.equal(bad.line, 2);
    assert.equal(bad.reason, 'not valid UTF-8');
    assert.deepEqual(lines[2], { ok: true, line: 3, text: 'next', terminated: true });
  });

  test('an over-long line is reported with its length and a cut raw text, across chunks and at EOF', async () => {
    const long = 'x'.repeat(5000);
    for (const chunkBytes of [64, 1 << 20]) {
      const lines = await collect(Buffer.from(`short\n${long}\nafter\n${long}`), { maxLineBytes: 1000, chunkBytes });
      assert.equal(lines.length, 4, `chunkBytes ${chunkBytes}`);
      const bad = lines[1];
      assert.ok(bad !== undefined && !bad.ok);
      assert.equal(bad.reason, 'line longer than 1000 bytes (5000 bytes)');
      assert.ok(bad.raw.length < 5000 && bad.raw.startsWith('xxx'), 'raw is cut');
      assert.deepEqual(lines[2], { ok: true, line: 3, text: 'after', terminated: true });
      const last = lines[3];
      assert.ok(last !== undefined && !last.ok && last.line === 4 && last.reason.includes('(5000 bytes)'));
    }
  });

  test('progress reports bytes done against the file size', async () => {
    const seen: [number, number | null][] = [];
    await collect(Buffer.from('abc\ndef\n'), { onProgress: (d, t) => seen.push([d, t]), chunkBytes: 4 });
    assert.deepEqual(seen.at(-1), [8, 8]);
  });

  test('random files read the same as a plain split of the whole file, at every chunk size and line limit', async () => {
    // Lines of ASCII, multi-byte text, CRLF, blanks, invalid bytes and long runs, read through the
    // whole-chunk path and the line-by-line path alike, must match a reference built in memory.
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const parts = [Buffer.from('{"a":1}'), Buffer.from('ünï🦠'), Buffer.from([0xff]), Buffer.from([0xe3, 0x81]), Buffer.from('\r'), Buffer.from('x'.repeat(300)), Buffer.alloc(0)];
    for (let round = 0; round < 20; round++) {
      const lines: Buffer[] = [];
      for (let i = 0, n = 1 + rnd(40); i < n; i++) lines.push(Buffer.concat(Array.from({ length: rnd(4) }, () => parts[rnd(parts.length)] as Buffer)));
      const endsWithLf = rnd(2) === 0;
      const bytes = Buffer.concat([Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || endsWithLf ? [l, Buffer.from('\n')] : [l])))]);
      for (const maxLineBytes of [200, 1 << 20]) {
        const expected: Line[] = [];
        lines.forEach((l, i) => {
          if (i === lines.length - 1 && !endsWithLf && l.length === 0) return;
          const body = l.length > 0 && l[l.length - 1] === 13 ? l.subarray(0, l.length - 1) : l;
          const line = i + 1;
          if (l.length > maxLineBytes) expected.push({ ok: false, line, reason: `line longer than ${maxLineBytes} bytes (${l.length} bytes)`, raw: '' });
          else if (!isUtf8(body)) expected.push({ ok: false, line, reason: 'not valid UTF-8', raw: '' });
          else expected.push({ ok: true, line, text: body.toString('utf8'), terminated: i < lines.length - 1 || endsWithLf });
        });
        for (const chunkBytes of [1, 5, 64, 1000, 1 << 20]) {
          const got = (await collect(bytes, { maxLineBytes, chunkBytes })).map((l) => (l.ok ? l : { ...l, raw: '' }));
          assert.deepEqual(got, expected, `round ${round}, maxLineBytes ${maxLineBytes}, chunkBytes ${chunkBytes}`);
        }
      }
    }
  });
});
