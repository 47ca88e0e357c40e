import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromAcceptLanguage, MESSAGES } from './i18n.js';

test('Accept-Language: highest-quality ja or en wins; anything else is Japanese', () => {
  assert.equal(fromAcceptLanguage(undefined), 'ja');
  assert.equal(fromAcceptLanguage('en-US,en;q=0.9'), 'en');
  assert.equal(fromAcceptLanguage('ja,en;q=0.8'), 'ja');
  assert.equal(fromAcceptLanguage('de-DE,en;q=0.3,ja;q=0.7'), 'ja');
  assert.equal(fromAcceptLanguage('fr,de'), 'ja');
  assert.equal(fromAcceptLanguage('en;q=0,ja;q=0'), 'ja');
  assert.equal(fromAcceptLanguage('en;q=abc'), 'ja');
  assert.equal(fromAcceptLanguage('*'), 'ja');
});

test('both languages have every message, none empty', () => {
  const keys = Object.keys(MESSAGES.en).sort();
  assert.deepEqual(Object.keys(MESSAGES.ja).sort(), keys);
  for (const lang of ['ja', 'en'] as const) for (const k of keys) assert.ok(MESSAGES[lang][k as keyof typeof MESSAGES.en].length > 0, `${lang}.${k}`);
});
