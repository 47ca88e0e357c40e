import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, missingServer } from '../../testing/require-server.js';
import { createClamscanScanner, parseClamscanFound } from './clamscan.js';
import { CLEAN_FILE, TEST_BODY_MARK, TEST_BOT, writeTestClamavDb } from './test-clamav-db.js';

describe('parseClamscanFound', () => {
  test('takes signatures of this path only, paths with spaces and colons included', () => {
    const p = '/tmp/x y/a: b.bin';
    const out = [`${p}: Sig.One FOUND`, `${p}: Sig.Two FOUND\r`, `/tmp/other: Sig.Other FOUND`, `${p}: OK`, 'LibClamAV Warning: x', ''].join('\n');
    assert.deepEqual(parseClamscanFound(out, p), ['Sig.One', 'Sig.Two']);
    assert.deepEqual(parseClamscanFound('', p), []);
  });
});

describe('clamscan (real binary, private signature database)', () => {
  const bin = findExecutable('clamscan');
  let dir = '';
  const files = { bot: '', body: '', clean: '' };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-clamscan-'));
    await writeTestClamavDb(dir);
    // Databases are passed as files (not -d <dir>) so the broken one written later cannot spoil this test.
    files.bot = join(dir, 'bot.bin');
    files.body = join(dir, 'a body file.bin');
    files.clean = join(dir, 'clean.bin');
    await writeFile(files.bot, TEST_BOT);
    await writeFile(files.body, Buffer.concat([Buffer.from('prefix '), TEST_BODY_MARK, Buffer.from(' suffix')]));
    await writeFile(files.clean, CLEAN_FILE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('found, found by body signature, clean', { timeout: 120_000 }, async (t) => {
    if (bin === null) return missingServer(t, 'clamscan not installed (apt-get install clamav)');
    const s = createClamscanScanner({ executable: bin, databases: [join(dir, 'test.hdb'), join(dir, 'test.ndb')] });
    const bot = await s.scan({ path: files.bot, md5: null, sha1: null, sha256: null });
    assert.equal(bot.verdict, 'known', bot.detail ?? '');
    assert.match(bot.signature ?? '', /^Cleancenter\.Test\.Bot(\.UNOFFICIAL)?$/);
    const body = await s.scan({ path: files.body, md5: null, sha1: null, sha256: null });
    assert.equal(body.verdict, 'known', body.detail ?? '');
    assert.match(body.signature ?? '', /^Cleancenter\.Test\.Body/);
    const clean = await s.scan({ path: files.clean, md5: null, sha1: null, sha256: null });
    assert.deepEqual([clean.scanner, clean.verdict, clean.signature, clean.detail], ['clamscan', 'unknown', null, null]);
  });

  test('a broken database is an error verdict (exit 2)', { timeout: 120_000 }, async (t) => {
    if (bin === null) return missingServer(t, 'clamscan not installed (apt-get install clamav)');
    const bad = join(dir, 'broken.ndb');
    await writeFile(bad, 'this is not a signature\n');
    const v = await createClamscanScanner({ executable: bin, databases: [bad] }).scan({ path: files.clean, md5: null, sha1: null, sha256: null });
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /^clamscan exit 2: /);
  });

  test('missing binary, missing file, missing executable', async () => {
    const s = createClamscanScanner({ executable: join(dir, 'no-such-clamscan'), databases: [dir] });
    assert.deepEqual((await s.scan({ path: null, md5: null, sha1: null, sha256: null })).detail, 'binary absent');
    const gone = await s.scan({ path: join(dir, 'gone'), md5: null, sha1: null, sha256: null });
    assert.match(gone.detail ?? '', /cannot read binary: ENOENT/);
    const noExe = await s.scan({ path: files.clean, md5: null, sha1: null, sha256: null });
    assert.equal(noExe.verdict, 'error');
    assert.match(noExe.detail ?? '', /no-such-clamscan not found/);
  });
});
