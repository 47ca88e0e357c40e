import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashBuffer, hashFile } from './hash-file.js';
import { classifyName, scanDownloadFolder, type DownloadFolderItem } from './download-folder.js';

async function collect(it: AsyncIterable<DownloadFolderItem>): Promise<DownloadFolderItem[]> {
  const out: DownloadFolderItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const BOT_A = Buffer.from('MZ synthetic bot A for cleancenter tests\n');
const BOT_B = Buffer.from('\x7fELF synthetic bot B for cleancenter tests\n');
const BOT_C = Buffer.from('synthetic bot C, truncated on purpose');

describe('classifyName', () => {
  test('32 hex is md5, 64 hex is sha256, case-insensitive; anything else is other', () => {
    assert.equal(classifyName('d41d8cd98f00b204e9800998ecf8427e'), 'md5');
    assert.equal(classifyName('D41D8CD98F00B204E9800998ECF8427E'), 'md5');
    assert.equal(classifyName('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), 'sha256');
    assert.equal(classifyName('da39a3ee5e6b4b0d3255bfef95601890afd80709'), 'other'); // sha1 length
    assert.equal(classifyName('d41d8cd98f00b204e9800998ecf8427e.exe'), 'other');
    assert.equal(classifyName('g41d8cd98f00b204e9800998ecf8427e'), 'other');
    assert.equal(classifyName(''), 'other');
  });
});

describe('scanDownloadFolder', () => {
  let dir = '';
  const a = hashBuffer(BOT_A);
  const b = hashBuffer(BOT_B);
  const c = hashBuffer(BOT_C);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-downloads-'));
    // dionaea layout: binaries/<md5>
    await mkdir(join(dir, 'binaries'));
    await writeFile(join(dir, 'binaries', a.md5), BOT_A);
    // Cowrie layout: downloads/<sha256>, upper-case name to check case-insensitivity.
    await mkdir(join(dir, 'cowrie', 'downloads'), { recursive: true });
    await writeFile(join(dir, 'cowrie', 'downloads', b.sha256.toUpperCase()), BOT_B);
    // A truncated download: named after the full file's md5, holding fewer bytes.
    await writeFile(join(dir, 'binaries', c.md5), BOT_C.subarray(0, 10));
    // Not hash-named.
    await writeFile(join(dir, 'readme.txt'), 'not a sample');
    await writeFile(join(dir, 'empty-file'), '');
    // A symlink pointing outside the folder must not be followed.
    await symlink('/etc/hostname', join(dir, 'binaries', 'link-out'));
    await symlink(join(dir, 'binaries'), join(dir, 'loop'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('hashes every regular file, recursing, and checks hash names', async () => {
    const items = await collect(scanDownloadFolder(dir));
    const binaries = items.flatMap((i) => (i.kind === 'binary' ? [i.binary] : []));
    const byName = new Map(binaries.map((x) => [x.name, x]));
    assert.equal(binaries.length, 5);

    const da = byName.get(a.md5);
    assert.ok(da);
    assert.equal(da.path, join(dir, 'binaries', a.md5));
    assert.equal(da.nameKind, 'md5');
    assert.equal(da.nameMatches, true);
    assert.equal(da.sha256, a.sha256);
    assert.equal(da.sha1, a.sha1);
    assert.equal(da.size, BOT_A.length);

    const db = byName.get(b.sha256.toUpperCase());
    assert.ok(db);
    assert.equal(db.nameKind, 'sha256');
    assert.equal(db.nameMatches, true);
    assert.equal(db.md5, b.md5);

    const dc = byName.get(c.md5);
    assert.ok(dc);
    assert.equal(dc.nameKind, 'md5');
    assert.equal(dc.nameMatches, false, 'a truncated download must not match its name');
    assert.equal(dc.size, 10);
    assert.notEqual(dc.md5, c.md5);

    for (const n of ['readme.txt', 'empty-file']) {
      const x = byName.get(n);
      assert.ok(x, n);
      assert.equal(x.nameKind, 'other');
      assert.equal(x.nameMatches, false);
    }
    assert.equal(byName.get('empty-file')?.md5, 'd41d8cd98f00b204e9800998ecf8427e');
  });

  test('a file named after another binary md5 is flagged as not matching', async () => {
    const sub = join(dir, 'misnamed');
    await mkdir(sub);
    try {
      // Named after BOT_A's md5 but holds BOT_B.
      await writeFile(join(sub, a.md5), BOT_B);
      const items = await collect(scanDownloadFolder(sub));
      assert.equal(items.length, 1);
      const only = items[0];
      assert.ok(only && only.kind === 'binary');
      assert.equal(only.binary.nameKind, 'md5');
      assert.equal(only.binary.nameMatches, false);
      assert.equal(only.binary.md5, b.md5);
    } finally {
      await rm(sub, { recursive: true, force: true });
    }
  });

  test('symlinks are skipped with a reason, never followed', async () => {
    const items = await collect(scanDownloadFolder(dir));
    const skipped = items.filter((i) => i.kind === 'skipped');
    assert.deepEqual(
      skipped.map((s) => s.path).sort(),
      [join(dir, 'binaries', 'link-out'), join(dir, 'loop')].sort(),
    );
    for (const s of skipped) assert.match(s.kind === 'skipped' ? s.reason : '', /symbolic link/);
    // The loop link would otherwise have yielded BOT_A twice.
    const paths = items.flatMap((i) => (i.kind === 'binary' ? [i.binary.path] : []));
    assert.ok(!paths.some((p) => p.startsWith(join(dir, 'loop'))));
  });

  test('special files (FIFO) are skipped, not opened (opening one would block)', async (t) => {
    const sub = join(dir, 'fifo');
    await mkdir(sub);
    try {
      const r = spawnSync('mkfifo', [join(sub, 'pipe')]);
      if (r.status !== 0) {
        t.skip('mkfifo not available');
        return;
      }
      const items = await collect(scanDownloadFolder(sub));
      assert.deepEqual(items, [{ kind: 'skipped', path: join(sub, 'pipe'), reason: 'not a regular file' }]);
    } finally {
      await rm(sub, { recursive: true, force: true });
    }
  });

  test('an unreadable file yields an error item and the walk carries on', async () => {
    const failing = join(dir, 'binaries', a.md5);
    const items = await collect(
      scanDownloadFolder(dir, {
        hash: async (p) => {
          if (p === failing) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
          return hashFile(p);
        },
      }),
    );
    const errors = items.filter((i) => i.kind === 'error');
    assert.equal(errors.length, 1);
    const e = errors[0];
    assert.ok(e && e.kind === 'error');
    assert.equal(e.path, failing);
    assert.match(e.reason, /cannot read file: EACCES/);
    assert.equal(items.filter((i) => i.kind === 'binary').length, 4);
  });

  test('reports progress once per file', async () => {
    const calls: Array<[number, number | null]> = [];
    await collect(scanDownloadFolder(dir, { onProgress: (d, tot) => calls.push([d, tot]) }));
    assert.deepEqual(calls, [1, 2, 3, 4, 5].map((n) => [n, null]));
  });

  test('a missing root throws', async () => {
    await assert.rejects(collect(scanDownloadFolder(join(dir, 'does-not-exist'))), /ENOENT/);
  });

  test('an empty folder yields nothing', async () => {
    const sub = join(dir, 'empty-dir');
    await mkdir(sub);
    try {
      assert.deepEqual(await collect(scanDownloadFolder(sub)), []);
    } finally {
      await rm(sub, { recursive: true, force: true });
    }
  });
});
