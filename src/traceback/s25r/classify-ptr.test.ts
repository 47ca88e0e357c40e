import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPtr, createS25rClassifier, normaliseName } from './classify-ptr.js';
import { compileWhitelist } from './whitelist.js';

describe('classifyPtr', () => {
  test('names are lowercased and lose their trailing dot before matching', () => {
    assert.equal(normaliseName('HOST12345.Example.'), 'host12345.example');
    const r = classifyPtr({ ip: '192.0.2.1', ptr: 'DHCP7.ISP.EXAMPLE.' });
    assert.equal(r.name, 'dhcp7.isp.example');
    assert.deepEqual(r.rules, [6]);
    assert.equal(r.endUser, true);
    // rule 3 ends in [a-z]: only the lowercased name matches it
    assert.deepEqual(classifyPtr({ ip: '192.0.2.1', ptr: '1A.B.C.TEST.' }).rules, [3]);
  });

  test('a server-like name is not an end user', () => {
    assert.deepEqual(classifyPtr({ ip: '192.0.2.1', ptr: 'mail.example' }), {
      ip: '192.0.2.1', name: 'mail.example', rules: [], whitelisted: false, endUser: false,
    });
  });

  test('rule 0: no PTR at all', () => {
    for (const ptr of [null, '', '  ', '.']) {
      const r = classifyPtr({ ip: '192.0.2.2', ptr });
      assert.deepEqual(r, { ip: '192.0.2.2', name: null, rules: [0], whitelisted: false, endUser: true }, String(ptr));
    }
  });

  test('rule 0: the MTA placeholders of the published rule ("unknown", a bracketed address)', () => {
    assert.deepEqual(classifyPtr({ ip: '192.0.2.2', ptr: 'UNKNOWN' }).rules, [0]);
    assert.deepEqual(classifyPtr({ ip: '192.0.2.2', ptr: '[192.0.2.2]' }).rules, [0]);
  });

  test('rule 0: forward lookup does not return the address', () => {
    const r = classifyPtr({ ip: '192.0.2.3', ptr: 'host12345.example', forwardAddresses: ['198.51.100.3'] });
    assert.deepEqual(r.rules, [0, 2]);
    assert.equal(r.endUser, true);
    const mail = classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example', forwardAddresses: [] });
    assert.deepEqual(mail.rules, [0]);
    assert.equal(mail.endUser, true);
  });

  test('no rule 0 when the forward lookup confirms, in any text form of the address', () => {
    assert.deepEqual(classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example', forwardAddresses: ['198.51.100.9', '192.0.2.3'] }).rules, []);
    assert.deepEqual(classifyPtr({ ip: '2001:db8::1', ptr: 'mail.example', forwardAddresses: ['2001:DB8:0:0::1'] }).rules, []);
    assert.deepEqual(classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example', forwardAddresses: ['::ffff:192.0.2.3'] }).rules, []);
  });

  test('garbage in the forward addresses or the IP is compared, not thrown on', () => {
    assert.deepEqual(classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example', forwardAddresses: ['not-an-ip', '', '999.1.1.1'] }).rules, [0]);
    assert.deepEqual(classifyPtr({ ip: 'not-an-ip', ptr: 'mail.example', forwardAddresses: ['NOT-AN-IP'] }).rules, []);
  });

  test('no rule 0 when the forward lookup was not done', () => {
    assert.deepEqual(classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example', forwardAddresses: null }).rules, []);
    assert.deepEqual(classifyPtr({ ip: '192.0.2.3', ptr: 'mail.example' }).rules, []);
  });

  test('the default whitelist exempts google.com mail farms, as milter-manager does', () => {
    const r = classifyPtr({ ip: '192.0.2.4', ptr: 'mail-we0-f182.google.com' });
    assert.deepEqual(r.rules, [1]);
    assert.equal(r.whitelisted, true);
    assert.equal(r.endUser, false);
    const off = classifyPtr({ ip: '192.0.2.4', ptr: 'mail-we0-f182.google.com' }, { whitelist: [] });
    assert.equal(off.whitelisted, false);
    assert.equal(off.endUser, true);
  });

  test('a custom suffix exempts the domain and names below it, not look-alikes', () => {
    const classify = createS25rClassifier({ whitelist: ['.Farm.Example.'] });
    assert.equal(classify({ ip: '192.0.2.5', ptr: 'out12345.farm.example' }).endUser, false);
    assert.equal(classify({ ip: '192.0.2.5', ptr: 'out12345.farm.example' }).whitelisted, true);
    assert.equal(classify({ ip: '192.0.2.5', ptr: 'host12345.badfarm.example' }).endUser, true);
    // whitelisted only means something when a rule fired
    assert.equal(classify({ ip: '192.0.2.5', ptr: 'mx.farm.example' }).whitelisted, false);
  });

  test('an unconfirmed PTR cannot claim the whitelist', () => {
    const r = classifyPtr({ ip: '192.0.2.6', ptr: 'mail-we0-f182.google.com', forwardAddresses: ['198.51.100.6'] });
    assert.deepEqual(r.rules, [0, 1]);
    assert.equal(r.whitelisted, false);
    assert.equal(r.endUser, true);
  });

  test('a global regex in the whitelist gives the same answer every time', () => {
    const isWhite = compileWhitelist([/\.farm\.example$/g]);
    assert.deepEqual([1, 2, 3].map(() => isWhite('a1-2.farm.example')), [true, true, true]);
  });

  test('an empty suffix is refused rather than exempting everything', () => {
    assert.throws(() => compileWhitelist(['.']), /empty suffix/);
  });
});
