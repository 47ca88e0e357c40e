import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashBuffer } from '../hash-file.js';
import { createHashListScanner, hashListSize, loadHashList, parseHashList } from './hash-list.js';

const BOT = hashBuffer(Buffer.from('synthetic bot for hash-list tests'));
const OTHER = hashBuffer(Buffer.from('another synthetic bot'));
const CLEAN = hashBuffer(Buffer.from('a clean file'));

const LIST = [
  '# cleancenter test hash list',
  '',
  `${BOT.sha256.toUpperCase()}  Cleancenter.Test.Bot`,
  `${OTHER.md5},Cleancenter.Other`,
  `${OTHER.sha1};Cleancenter.Other.Sha1 # trailing comment`,
  `${BOT.md5}`,
  '   # indented comment',
  'not-a-hash Foo', // line 8
  `${BOT.md5.slice(0, 31)} Short`, // line 9
  `${BOT.sha256}0 TooLong`, // line 10
  `${OTHER.md5} Another.Name`, // line 11: conflicting duplicate
  `${OTHER.md5} Cleancenter.Other`, // line 12: harmless duplicate
  `${CLEAN.sha1} ${'x'.repeat(300)}`, // line 13
  `${CLEAN.sha256} bad\u0001name`, // line 14
  '',
].join('\r\n');

describe('parseHashList', () => {
  const list = parseHashList(LIST, 'test.list');

  test('good lines load into per-kind tables with lowercase keys', () => {
    assert.deepEqual(list.sha256.get(BOT.sha256), { signature: 'Cleancenter.Test.Bot', line: 3 });
    assert.deepEqual(list.md5.get(OTHER.md5), { signature: 'Cleancenter.Other', line: 4 });
    assert.deepEqual(list.sha1.get(OTHER.sha1), { signature: 'Cleancenter.Other.Sha1', line: 5 });
    assert.deepEqual(list.md5.get(BOT.md5), { signature: null, line: 6 });
    assert.equal(hashListSize(list), 4);
  });

  test('bad lines are collected with line number and reason', () => {
    assert.deepEqual(
      list.errors.map((e) => [e.line, e.reason]),
      [
        [8, 'not a hex hash: "not-a-hash"'],
        [9, 'hash has 31 hex digits; expected 32 (md5), 40 (sha1) or 64 (sha256)'],
        [10, 'hash has 65 hex digits; expected 32 (md5), 40 (sha1) or 64 (sha256)'],
        [11, 'md5 already listed on line 4 with another name; kept the first'],
        [13, 'signature name longer than 256 characters'],
        [14, 'signature name holds control characters or invalid UTF-8'],
      ],
    );
    assert.equal(list.errors[0]?.raw, 'not-a-hash Foo');
    assert.ok((list.errors[4]?.raw.length ?? 0) <= 121, 'raw is shortened');
  });

  test('a byte-order mark and an empty input are harmless', () => {
    const l = parseHashList(`\uFEFF${BOT.md5}\n`, 'bom.list');
    assert.equal(l.md5.has(BOT.md5), true);
    assert.deepEqual(l.errors, []);
    const e = parseHashList('', 'empty.list');
    assert.equal(hashListSize(e), 0);
    assert.deepEqual(e.errors, []);
  });
});

describe('loadHashList (file)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-hashlist-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads the same as parseHashList', async () => {
    const p = join(dir, 'a.list');
    await writeFile(p, LIST);
    const l = await loadHashList(p);
    const parsed = parseHashList(LIST, p);
    assert.deepEqual(l, parsed);
  });

  test('hostile input: a huge line, non-UTF-8 bytes, NUL, no final newline', async () => {
    const p = join(dir, 'hostile.list');
    await writeFile(
      p,
      Buffer.concat([
        Buffer.from(`${BOT.md5} First\n`),
        Buffer.alloc(10 * 1024 * 1024, 0x61), // 10 MiB of 'a' without a newline
        Buffer.from('\n'),
        Buffer.from([0xff, 0xfe, 0x41, 0x0a]),
        Buffer.from(`${OTHER.sha256} Bad\xffName\n`, 'latin1'),
        Buffer.from('\0\0\0\n'),
        Buffer.from(`${OTHER.md5} Last`),
      ]),
    );
    const l = await loadHashList(p);
    assert.equal(l.md5.get(BOT.md5)?.signature, 'First');
    assert.equal(l.md5.get(OTHER.md5)?.line, 6, 'a last line without newline counts');
    assert.equal(l.sha256.has(OTHER.sha256), false);
    assert.deepEqual(
      l.errors.map((e) => [e.line, e.reason]),
      [
        [2, 'line longer than 4096 bytes'],
        [3, 'not a hex hash: "\uFFFD\uFFFDA"'],
        [4, 'signature name holds control characters or invalid UTF-8'],
        [5, 'not a hex hash: "\\u0000\\u0000\\u0000"'],
      ],
    );
    assert.ok((l.errors[0]?.raw.length ?? 0) <= 121);
  });

  test('a missing file throws', async () => {
    await assert.rejects(loadHashList(join(dir, 'missing.list')), /ENOENT/);
  });
});

describe('hash-list scanner', () => {
  const list = parseHashList(LIST, 'test.list');
  const scanner = createHashListScanner(list);
  const none = { md5: null, sha1: null, sha256: null, path: null };

  test('matches on any of the three hashes without the binary', async () => {
    const bySha256 = await scanner.scan({ ...none, sha256: BOT.sha256 });
    assert.deepEqual([bySha256.scanner, bySha256.verdict, bySha256.signature], ['hash-list', 'known', 'Cleancenter.Test.Bot']);
    assert.equal(bySha256.detail, 'sha256 listed in test.list line 3');
    const bySha1 = await scanner.scan({ ...none, sha1: OTHER.sha1.toUpperCase() });
    assert.equal(bySha1.signature, 'Cleancenter.Other.Sha1');
    const byMd5 = await scanner.scan({ ...none, md5: OTHER.md5 });
    assert.equal(byMd5.signature, 'Cleancenter.Other');
  });

  test('a line without a name uses the scanner name as signature', async () => {
    const v = await scanner.scan({ ...none, md5: BOT.md5 });
    assert.deepEqual([v.verdict, v.signature], ['known', 'hash-list']);
  });

  test('the strongest listed hash wins', async () => {
    const v = await scanner.scan({ md5: BOT.md5, sha1: BOT.sha1, sha256: BOT.sha256, path: null });
    assert.equal(v.detail, 'sha256 listed in test.list line 3');
  });

  test('unlisted is unknown; no hash and no binary is an error', async () => {
    const u = await scanner.scan({ md5: CLEAN.md5, sha1: CLEAN.sha1, sha256: CLEAN.sha256, path: null });
    assert.deepEqual([u.verdict, u.signature], ['unknown', null]);
    const e = await scanner.scan(none);
    assert.deepEqual([e.verdict, e.detail], ['error', 'no hash and no binary to look up']);
  });

  test('a binary without hashes is hashed first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-hashlist-scan-'));
    try {
      const p = join(dir, 'bot');
      await writeFile(p, 'synthetic bot for hash-list tests');
      const v = await createHashListScanner(list, { name: 'mylist' }).scan({ ...none, path: p });
      assert.deepEqual([v.scanner, v.verdict, v.signature], ['mylist', 'known', 'Cleancenter.Test.Bot']);
      const missing = await scanner.scan({ ...none, path: join(dir, 'missing') });
      assert.equal(missing.verdict, 'error');
      assert.match(missing.detail ?? '', /cannot read binary: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
