import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, missingServer } from '../../testing/require-server.js';
import { createYaraScanner, parseYaraOutput } from './yara.js';

const RULES = `
rule Cleancenter_Test_Mark { strings: $a = "CLEANCENTER-YARA-MARK" condition: $a }
rule Cleancenter_Test_Prefix : bot { strings: $b = "CLEANCENTER-YARA" condition: $b }
rule Cleancenter_Never { strings: $c = "this string is in no test file" condition: $c }
`;

describe('parseYaraOutput', () => {
  test('cuts at the known path, so spaces and newlines in paths are safe', () => {
    const p = '/tmp/a b\nc d.bin';
    assert.deepEqual(parseYaraOutput(`One ${p}\nTwo ${p}\n`, p), { rules: ['One', 'Two'], unparsed: '' });
    assert.deepEqual(parseYaraOutput(`ns:One ${p}`, p), { rules: ['ns:One'], unparsed: '' }, 'no final newline');
    assert.deepEqual(parseYaraOutput('', p), { rules: [], unparsed: '' });
  });

  test('other output is kept as unparsed, never taken for a rule', () => {
    const p = '/tmp/s.bin';
    assert.deepEqual(parseYaraOutput(`warning: slow\nOne ${p}\n`, p), { rules: ['One'], unparsed: 'warning: slow' });
    assert.deepEqual(parseYaraOutput(`not a rule ${p}\n`, p), { rules: [], unparsed: 'not a rule' });
    assert.deepEqual(parseYaraOutput('garbage', p), { rules: [], unparsed: 'garbage' });
  });
});

describe('yara (real binary)', () => {
  const bin = findExecutable('yara');
  let dir = '';
  let rules = '';
  let marked = '';
  let clean = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-yara-'));
    rules = join(dir, 'test.yar');
    await writeFile(rules, RULES);
    marked = join(dir, 'a sample with spaces.bin');
    await writeFile(marked, 'xx CLEANCENTER-YARA-MARK xx');
    clean = join(dir, 'clean.bin');
    await writeFile(clean, 'nothing to see');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('source rules: match gives the rule names, no match is unknown', { timeout: 60_000 }, async (t) => {
    if (bin === null) return missingServer(t, 'yara not installed (apt-get install yara)');
    const s = createYaraScanner({ rules, executable: bin });
    const hit = await s.scan({ path: marked, md5: null, sha1: null, sha256: null });
    assert.deepEqual([hit.scanner, hit.verdict, hit.signature, hit.detail], ['yara', 'known', 'Cleancenter_Test_Mark,Cleancenter_Test_Prefix', null]);
    const miss = await s.scan({ path: clean, md5: null, sha1: null, sha256: null });
    assert.deepEqual([miss.verdict, miss.signature, miss.detail], ['unknown', null, null]);
  });

  test('compiled rules are detected and loaded with -C', { timeout: 60_000 }, async (t) => {
    const yarac = findExecutable('yarac');
    if (bin === null || yarac === null) return missingServer(t, 'yara/yarac not installed (apt-get install yara)');
    const compiled = join(dir, 'test.yarc');
    const r = spawnSync(yarac, [rules, compiled]);
    assert.equal(r.status, 0, r.stderr.toString());
    const hit = await createYaraScanner({ rules: compiled, executable: bin }).scan({ path: marked, md5: null, sha1: null, sha256: null });
    assert.equal(hit.verdict, 'known', hit.detail ?? '');
    assert.equal(hit.signature, 'Cleancenter_Test_Mark,Cleancenter_Test_Prefix');
  });

  test('broken rules, unreadable sample and missing rules are errors', { timeout: 60_000 }, async (t) => {
    if (bin === null) return missingServer(t, 'yara not installed (apt-get install yara)');
    const broken = join(dir, 'broken.yar');
    await writeFile(broken, 'rule x { condition: bogus }');
    const b = await createYaraScanner({ rules: broken, executable: bin }).scan({ path: clean, md5: null, sha1: null, sha256: null });
    assert.equal(b.verdict, 'error');
    assert.match(b.detail ?? '', /yara exit 1: .*undefined identifier "bogus"/);
    const s = createYaraScanner({ rules, executable: bin });
    const gone = await s.scan({ path: join(dir, 'gone.bin'), md5: null, sha1: null, sha256: null });
    assert.equal(gone.verdict, 'error');
    assert.match(gone.detail ?? '', /could not open file/);
    const noRules = await createYaraScanner({ rules: join(dir, 'none.yar'), executable: bin }).scan({ path: clean, md5: null, sha1: null, sha256: null });
    assert.equal(noRules.verdict, 'error');
  });

  test('binary absent, missing executable, and a hung scanner', async () => {
    const s = createYaraScanner({ rules, executable: join(dir, 'no-such-yara') });
    assert.equal((await s.scan({ path: null, md5: null, sha1: null, sha256: null })).detail, 'binary absent');
    const noExe = await s.scan({ path: clean, md5: null, sha1: null, sha256: null });
    assert.match(noExe.detail ?? '', /no-such-yara not found/);
    // A stand-in "yara" that never finishes must be killed at the time limit.
    const slow = join(dir, 'slow-yara');
    await writeFile(slow, '#!/bin/sh\nexec sleep 30\n');
    await chmod(slow, 0o755);
    const v = await createYaraScanner({ rules, executable: slow, timeoutMs: 300 }).scan({ path: clean, md5: null, sha1: null, sha256: null });
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /timed out after 300 ms/);
  });
});
