import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashBuffer, hashFile } from './hash-file.js';

/** Deterministic pseudo-random bytes, so the test needs no fixture file. */
function generated(size: number): Buffer {
  const buf = Buffer.alloc(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  return buf;
}

function oneShot(buf: Buffer, algo: string): string {
  return createHash(algo).update(buf).digest('hex');
}

describe('hashFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-hash-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('empty file has the well-known empty digests', async () => {
    const p = join(dir, 'empty');
    await writeFile(p, '');
    const h = await hashFile(p);
    assert.deepEqual(h, {
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
  });

  test('"abc" matches the published test vectors', async () => {
    const p = join(dir, 'abc');
    await writeFile(p, 'abc');
    const h = await hashFile(p);
    assert.equal(h.md5, '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(h.sha1, 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(h.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(h.size, 3);
  });

  test('a multi-chunk file matches one-shot digests of the same bytes', async () => {
    // 2.5 MiB spans several 1 MiB reads, including a partial last one.
    const buf = generated(2.5 * 1024 * 1024 + 17);
    const p = join(dir, 'big');
    await writeFile(p, buf);
    const h = await hashFile(p);
    assert.equal(h.md5, oneShot(buf, 'md5'));
    assert.equal(h.sha1, oneShot(buf, 'sha1'));
    assert.equal(h.sha256, oneShot(buf, 'sha256'));
    assert.equal(h.size, buf.length);
  });

  test('a missing file rejects', async () => {
    await assert.rejects(hashFile(join(dir, 'nope')), /ENOENT/);
  });

  test('a directory rejects', async () => {
    await assert.rejects(hashFile(dir), /EISDIR/);
  });
});

describe('hashBuffer', () => {
  test('matches one-shot digests', () => {
    const buf = generated(4099);
    assert.deepEqual(hashBuffer(buf), {
      md5: oneShot(buf, 'md5'),
      sha1: oneShot(buf, 'sha1'),
      sha256: oneShot(buf, 'sha256'),
      size: 4099,
    });
  });
});
