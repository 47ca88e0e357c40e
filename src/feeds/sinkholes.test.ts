import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePlainList } from './plain/plain-reader.js';
import { createSinkholeList, parseSinkholeList } from './sinkholes.js';
import { assertCounts } from './test-support.js';

describe('sinkholes', () => {
  const list = parseSinkholeList(
    ['# label after the value', '192.0.2.53 research sinkhole A', '198.51.100.0/24 registry sinkhole', 'sinkhole.example named sinkhole', ''].join('\n'),
  );

  test('by IP, CIDR and name (with subdomains)', () => {
    assert.equal(list.isSinkhole('192.0.2.53'), 'research sinkhole A');
    assert.equal(list.isSinkhole('198.51.100.77'), 'registry sinkhole');
    assert.equal(list.isSinkhole('192.0.2.54'), null);
    assert.equal(list.isSinkhole('garbage'), null);
    assert.equal(list.isSinkholeName('ns1.Sinkhole.Example.'), 'named sinkhole');
    assert.equal(list.isSinkholeName('notsinkhole.example'), null);
    assert.equal(list.size, 3);
  });

  test('readers flag entries and keep them', () => {
    const s = parsePlainList('192.0.2.53\n198.51.100.0/25\n198.51.100.0/23\nns.sinkhole.example\nc2.example\n', { sinkholes: list });
    assert.deepEqual(
      s.entries.map((e) => `${e.value}:${e.sinkhole ?? false}:${e.sinkholeLabel ?? ''}`),
      [
        '192.0.2.53:true:research sinkhole A',
        '198.51.100.0/25:true:registry sinkhole',
        '198.51.100.0/23:false:', // only partly a sinkhole
        'ns.sinkhole.example:true:named sinkhole',
        'c2.example:false:',
      ],
    );
    assertCounts(s);
  });

  test('a bad configuration value fails loudly with its line', () => {
    assert.throws(() => parseSinkholeList('192.0.2.1 ok\n192.0.2.999 bad\n'), /line 2: "192.0.2.999"/);
    assert.throws(() => createSinkholeList([{ value: 'not a host', label: 'x' }]), /neither an IP/);
  });
});
