import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCounts, feedCorpus, NO_CORPUS } from './test-support.js';
import { detectFeedFormat, FEED_FORMAT_NAMES, FEED_FORMATS, isFeedFormatName } from './registry.js';

const head = (path: string): string[] => readFileSync(path, 'utf8').split('\n').slice(0, 30);
const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

describe('feed format registry', () => {
  test('every format is registered under its own name', () => {
    for (const name of FEED_FORMAT_NAMES) assert.equal(FEED_FORMATS[name].name, name);
    assert.ok(isFeedFormatName('threatfox'));
    assert.ok(!isFeedFormatName('nope'));
  });

  test('detects every synthetic fixture as the folder it sits in', () => {
    const folders: Record<string, string> = { mdl: 'mdl', abusech: '', plain: 'plain', spamhaus: 'spamhaus', et: 'et-rules', firehol: 'firehol' };
    const abusech: Record<string, string> = { feodo: 'feodo', threatfox: 'threatfox', urlhaus: 'urlhaus' };
    for (const [folder, expected] of Object.entries(folders)) {
      for (const file of readdirSync(here(`./${folder}/fixtures`))) {
        const want = expected !== '' ? expected : (abusech[file.split(/[-.]/)[0] ?? ''] ?? '?');
        assert.equal(detectFeedFormat(head(here(`./${folder}/fixtures/${file}`))), want, `${folder}/${file}`);
      }
    }
  });

  test('nothing fits', () => {
    assert.equal(detectFeedFormat(['<html><body>rate limited</body></html>']), null);
    assert.equal(detectFeedFormat([]), null);
  });

  test('corpus: every sample is detected and read by the detected reader without throwing', async (t) => {
    const dir = feedCorpus();
    if (dir === null) return t.skip(NO_CORPUS);
    const expected: Record<string, string> = {
      'abusech/feodo_ipblocklist_csv_2020_sample.csv': 'feodo',
      'abusech/threatfox_full_sample.csv': 'threatfox',
      'abusech/urlhaus_csv_sample.csv': 'urlhaus',
      'mdl/mdl_updatescsv_sample.csv': 'mdl',
      'spamhaus/asndrop_sample.json': 'spamhaus',
      'spamhaus/drop_v4_sample.json': 'spamhaus',
      'spamhaus/drop_txt_2015_sample.txt': 'spamhaus',
      'et/emerging-botcc.rules.excerpt': 'et-rules',
      'firehol/et_block.netset.excerpt': 'firehol',
      'firehol/et_botcc.ipset.excerpt': 'firehol',
      'intelmq-fixtures/abusech_feodoips.txt': 'feodo',
      'intelmq-fixtures/abusech_feododomains.txt': 'plain',
      'intelmq-fixtures/abusech_urlhaus.txt': 'urlhaus',
      'intelmq-fixtures/bambenek_c2-ipmasterlist.txt': 'plain',
      'intelmq-fixtures/spamhaus_asndrop.txt': 'spamhaus',
    };
    for (const [file, format] of Object.entries(expected)) {
      const path = join(dir, file);
      const detected = detectFeedFormat(head(path));
      assert.equal(detected, format, file);
      const s = await FEED_FORMATS[format as keyof typeof FEED_FORMATS].read(path);
      assert.deepEqual(s.rejects, [], file);
      assert.ok(s.entries.length > 0, file);
      assertCounts(s, format !== 'et-rules');
    }
  });
});
