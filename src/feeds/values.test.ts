import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalCidr, canonicalDomain, canonicalIp, parseAsn, parseFeedTime, urlHost } from './values.js';

const v = <T>(p: { ok: true; value: T } | { ok: false; reason: string }): T | string => (p.ok ? p.value : `!${p.reason}`);

describe('feed values', () => {
  test('IPs', () => {
    assert.equal(v(canonicalIp(' 192.0.2.1 ')), '192.0.2.1');
    assert.equal(v(canonicalIp('2001:DB8:0:0::1')), '2001:db8::1');
    assert.match(String(v(canonicalIp('10.1'))), /^!/);
    assert.match(String(v(canonicalIp('192.0.2.01'))), /^!/);
    assert.match(String(v(canonicalIp('fe80::1%eth0'))), /^!/);
  });
  test('CIDRs', () => {
    assert.deepEqual(v(canonicalCidr('192.0.2.77/24')), { kind: 'cidr', value: '192.0.2.0/24', hostBitsCleared: true });
    assert.deepEqual(v(canonicalCidr('2001:db8::1/128')), { kind: 'ip', value: '2001:db8::1', hostBitsCleared: false });
    assert.deepEqual(v(canonicalCidr('0.0.0.0/0')), { kind: 'cidr', value: '0.0.0.0/0', hostBitsCleared: false });
    assert.match(String(v(canonicalCidr('192.0.2.0/x'))), /bad prefix length/);
  });
  test('domains', () => {
    assert.equal(v(canonicalDomain('WWW.Example.TEST.')), 'www.example.test');
    assert.equal(v(canonicalDomain('bücher.example')), 'xn--bcher-kva.example');
    assert.equal(v(canonicalDomain('_dmarc.example')), '_dmarc.example');
    for (const bad of ['localhost', 'a..example', '-a.example', '1.2.3.4', `${'a'.repeat(64)}.example`]) assert.match(String(v(canonicalDomain(bad))), /^!/, bad);
  });
  test('times, ASNs, URL hosts', () => {
    assert.equal(v(parseFeedTime('2015/07/10 13:37')), '2015-07-10T13:37:00.000Z');
    assert.equal(v(parseFeedTime('2021-02-10 13:34:57 UTC')), '2021-02-10T13:34:57.000Z');
    assert.match(String(v(parseFeedTime('2021-02-10 24:00'))), /^!/);
    assert.equal(v(parseAsn('as64496')), 64496);
    assert.match(String(v(parseAsn('AS-1'))), /^!/);
    assert.deepEqual(v(urlHost('http://[2001:db8::1]:8080/x')), { host: '2001:db8::1', isIp: true, port: 8080 });
    assert.deepEqual(v(urlHost('user@Dl.Example/a?b')), { host: 'dl.example', isIp: false });
    assert.match(String(v(urlHost('http://dl.example:99999/'))), /bad port/);
  });
});
