import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS, rejectSummary } from '../test-support.js';
import { parseEtRules, readEtRules } from './et-rules-reader.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('Emerging Threats rules reader', () => {
  test('botcc and RBN headers: addresses, duplicates, other rules, broken rules', async () => {
    const s = await readEtRules(fixture('botcc.rules'));
    assert.equal(s.format, 'et-rules');
    assert.equal(s.snapshotDate, '2017-03-01');
    assert.deepEqual(s.entries.map((e) => `${e.kind}:${e.value}:${e.category}`), [
      'ip:192.0.2.1:botnet_cc',
      'ip:192.0.2.2:botnet_cc',
      'cidr:198.51.100.0/24:botnet_cc',
      'cidr:203.0.113.0/25:rbn',
      'ip:203.0.113.200:rbn',
    ]);
    assert.equal(s.entries[0]?.description, 'ET CNC Shadowserver Reported CnC Server TCP group 1 (sid 2404000)');
    assert.equal(s.duplicates, 3, 'the UDP twin of group 1');
    assert.deepEqual(s.filteredBy, { 'rule:other': 1 });
    assert.deepEqual(rejectSummary(s), [
      '3: not an IP address: "192.0.2.300" in rule sid 2404000',
      '7: not a Snort/Suricata rule header',
    ]);
    assert.equal(s.comments, 3);
    // 4 + 3 + 2 addresses, 1 other rule, 1 broken line.
    assert.equal(s.itemsRead, 11);
    assertCounts(s, false);
  });

  test('category filter keeps RBN only', () => {
    const s = parseEtRules(
      'alert tcp [203.0.113.1] any -> $HOME_NET any (msg:"ET RBN Known Russian Business Network IP TCP (1)"; sid:1;)\n' +
        'alert tcp $HOME_NET any -> [192.0.2.1] any (msg:"ET CNC group 1"; sid:2;)\n',
      { category: ['rbn'] },
    );
    assert.deepEqual(s.entries.map((e) => e.value), ['203.0.113.1']);
    assert.equal(s.filteredBy.category, 1);
    assertCounts(s, false);
  });

  test('corpus: botcc excerpt and the Suricata-quoted RBN rule', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const botcc = await readEtRules(join(dir, 'et/emerging-botcc.rules.excerpt'));
    assert.deepEqual(botcc.rejects, []);
    assert.equal(botcc.entries.length, 11);
    assert.equal(botcc.duplicates, 11);
    assertCounts(botcc, false);
    const rbn = await readEtRules(join(dir, 'et/rbn_rule_example.txt'));
    assert.deepEqual(rbn.rejects, []);
    // 21 listed sources (one a CIDR) plus the test's literal destination 192.168.1.1.
    assert.equal(rbn.entries.length, 22);
    assert.ok(rbn.entries.every((e) => e.category === 'rbn'));
    assert.equal(rbn.entries.filter((e) => e.kind === 'cidr').length, 1);
    assertCounts(rbn, false);
  });
});
