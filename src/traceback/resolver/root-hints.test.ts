import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseRootHints } from './root-hints.js';

const SAMPLE = `; synthetic root hints
.                        3600000      NS    A.ROOT-SERVERS.TEST.
A.ROOT-SERVERS.TEST.     3600000      A     192.0.2.53
A.ROOT-SERVERS.TEST.     3600000      AAAA  2001:db8::53
.                        3600000  IN  NS    b.root-servers.test.
b.root-servers.test.     3600000  IN  A     198.51.100.53
.                                     NS    c.root-servers.test.
example.                 3600000      NS    ns.example.
d.root-servers.test.     3600000      A     999.1.2.3
e.root-servers.test.                  MX    mail
garbage
`;

test('parses NS and address records into one hint per address and rejects the rest by line', () => {
  const { hints, rejects } = parseRootHints(SAMPLE, 'sample.hints');
  assert.deepEqual(hints, [
    { name: 'a.root-servers.test', ip: '192.0.2.53' },
    { name: 'a.root-servers.test', ip: '2001:db8::53' },
    { name: 'b.root-servers.test', ip: '198.51.100.53' },
  ]);
  assert.deepEqual(
    rejects.map((r) => [r.line, r.reason]),
    [
      [8, 'NS record for example, not for the root'],
      [9, 'A record with invalid address "999.1.2.3"'],
      [10, 'unexpected record type MX in root hints'],
      [11, 'expected "owner [ttl] [class] type data"'],
      [7, 'root server c.root-servers.test has no address record'],
    ],
  );
  assert.ok(rejects.every((r) => r.source === 'sample.hints'));
});

test('never throws on hostile text', () => {
  for (const text of ['', '\u0000\u0001', 'x'.repeat(100_000), '. NS\n. NS a b c d e f', ';;;;\r\n\r\n', '\uFFFD . A 1.2.3.4']) {
    assert.doesNotThrow(() => parseRootHints(text));
  }
});

test('reads the real InterNIC root.hints from the shared corpus', (t) => {
  const file = new URL('../../../../shared/corpus/dns/root.hints', import.meta.url);
  if (!existsSync(file)) {
    t.skip('shared corpus dns/root.hints not present');
    return;
  }
  const { hints, rejects } = parseRootHints(readFileSync(file, 'utf8'), 'root.hints');
  assert.deepEqual(rejects, []);
  const names = new Set(hints.map((h) => h.name));
  assert.equal(names.size, 13);
  assert.ok(names.has('a.root-servers.net'));
  assert.equal(hints.length, 26, 'an A and an AAAA record per root server');
});
