import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISP_CLIENT_STARTER } from './config-starter.js';
import { parseIspClientConfig } from './config.js';

const env = { CLEANCENTER_ISP_TOKEN: 'token-from-the-environment-0123', CLEANCENTER_ISP_KEY_SECRET: 'k'.repeat(40) };

test('the starter config is valid once the secrets are in the environment', () => {
  const c = parseIspClientConfig(ISP_CLIENT_STARTER, 'isp-client.yaml', '/etc/cc/isp-client.yaml', env);
  assert.equal(c.notices.weekday, 'wednesday');
  assert.equal(c.defaultLanguage, 'ja');
  assert.equal(c.token, env.CLEANCENTER_ISP_TOKEN);
  assert.equal(c.database, '/etc/cc/isp-client.db');
  assert.deepEqual(c.lookup, { kind: 'csv', file: '/etc/cc/subscribers.csv' });
  assert.equal(c.letters.noReactionAfterEmails, 2);
});

test('every problem is listed with its key and line; the token never appears in messages', () => {
  const yaml = 'ispName: X\ncenter:\n  url: ftp://center.example\n  token: short\nlookup:\n  kind: ldap\nnotices:\n  weekday: funday\n  timezone: Mars/Base\n';
  assert.throws(
    () => parseIspClientConfig(yaml, 'c.yaml', '/tmp/c.yaml', env),
    (e: Error) => {
      assert.match(e.message, /c\.yaml:3:8: center\.url: must be an http/);
      assert.match(e.message, /center\.token: looks too short/);
      assert.match(e.message, /lookup\.kind must be csv, sql or script/);
      assert.match(e.message, /c\.yaml:8:12: notices\.weekday: must be one of sunday/);
      assert.match(e.message, /notices\.timezone: is not a time zone name/);
      assert.doesNotMatch(e.message, /short\b(?! for)/);
      return true;
    },
  );
  assert.throws(() => parseIspClientConfig('a: [', 'c.yaml', '/tmp/c.yaml', env), /c\.yaml:1:/);
});
