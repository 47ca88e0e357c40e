import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyPtr, createS25rClassifier } from './classify-ptr.js';
import { matchingRules, S25R_RULES } from './rules.js';

const CORPUS = path.resolve(process.cwd(), '../shared/corpus/s25r');

interface Labelled {
  host: string;
  rules: number[];
}

function loadCorpus(): Labelled[] {
  const labelled = JSON.parse(readFileSync(path.join(CORPUS, 'labelled_hostnames.json'), 'utf8')) as Labelled[];
  const synthetic = readFileSync(path.join(CORPUS, 'synthetic_isp_formats.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
  return [...labelled, ...synthetic];
}

describe('S25R rule table', () => {
  test('six rules, numbered 1 to 6, each with English and Japanese wording', () => {
    assert.deepEqual(S25R_RULES.map((r) => r.id), [1, 2, 3, 4, 5, 6]);
    for (const r of S25R_RULES) {
      assert.ok(r.en.length > 10 && r.ja.length > 5, `rule ${r.id} lacks a description`);
      assert.ok(r.regex.source.startsWith('^'), `rule ${r.id} must be anchored like the published table`);
    }
  });

  test('every labelled host in the corpus gets exactly its labelled rule set', (t) => {
    if (!existsSync(path.join(CORPUS, 'labelled_hostnames.json'))) {
      t.skip(`corpus not found at ${CORPUS}`);
      return;
    }
    const rows = loadCorpus();
    assert.ok(rows.length >= 40, `expected the full corpus, got ${rows.length} rows`);
    const classify = createS25rClassifier({ whitelist: [] });
    const wrong = rows
      .map((r) => ({ host: r.host, want: r.rules, got: classify({ ip: '192.0.2.1', ptr: r.host }).rules }))
      .filter((r) => JSON.stringify(r.want) !== JSON.stringify(r.got));
    assert.deepEqual(wrong, []);
  });

  // Each name fires its own rule and no other, so a broken pattern cannot hide behind a neighbour.
  const oneRule: [number, string][] = [
    [1, 'host1-2.example'],
    [1, 'p1234-ipbf1205.isp.example'],
    [2, 'host12345.example'],
    [3, '1a.b.c.test'],
    [3, 'mail.1host.isp.example.test'],
    [4, 'a1.b2-3.example'],
    [5, 'a1.b2.c.example.test'],
    [6, 'ppp7.example'],
    [6, 'dhcp9.example'],
    [6, 'dialup0.example'],
    [6, 'adsl9.example'],
    [6, 'xdsl9.example'],
    [6, 'dsl9.example'],
  ];
  for (const [rule, host] of oneRule) {
    test(`${host} fires rule ${rule} only`, () => {
      assert.deepEqual(matchingRules(host), [rule]);
    });
  }

  test('names that fire nothing', () => {
    for (const host of ['mail.example', 'ns1.example.test', 'web10.example', 'dsl.example', 'a1.b2.c.test', 'bdsl9.example', 'ppp.example']) {
      assert.deepEqual(matchingRules(host), [], host);
    }
  });

  test('every rule that fires is recorded, not just the first', () => {
    // 1 (2-3), 2 (12345), 4 (ends in 5; 6-7), 6 (dhcp…digit)
    assert.deepEqual(classifyPtr({ ip: '192.0.2.7', ptr: 'dhcp2-312345.6-7.example' }).rules, [1, 2, 4, 6]);
    assert.deepEqual(classifyPtr({ ip: '192.0.2.7', ptr: 'adsl-192-0-2-7.dyn.isp.example.test' }).rules, [1, 6]);
  });

  test('hostile names: huge, dotted runs and non-ASCII classify without error or stall', () => {
    const started = Date.now();
    assert.deepEqual(matchingRules(`a1.b2.${'.'.repeat(50_000)}9`), []);
    assert.deepEqual(matchingRules(`a1.b2.c${'.1'.repeat(50_000)}`), [5]);
    assert.deepEqual(matchingRules(`1${'.x'.repeat(50_000)}`), [3]);
    assert.deepEqual(matchingRules('ホスト12345.example'), [2]);
    assert.deepEqual(matchingRules('host 1-2.example'), [1]);
    assert.ok(Date.now() - started < 2000, 'regexes must not backtrack catastrophically');
  });
});
