import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeIp, toPort } from './address.js';
import { dionaeaProtocol } from './protocol.js';

test('normalizeIp keeps strict IPv4, unmaps IPv4-mapped IPv6 and canonicalises IPv6', () => {
  assert.equal(normalizeIp('192.0.2.1'), '192.0.2.1');
  assert.equal(normalizeIp('::ffff:198.51.100.4'), '198.51.100.4');
  assert.equal(normalizeIp('2001:DB8:0:0::1'), '2001:db8::1');
});

test('normalizeIp refuses garbage', () => {
  for (const bad of [null, undefined, 42, '', 'x', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '127.1', '0x7f.0.0.1', 'host.example', '2001:db8::g', 'fe80::1%eth0', 'a'.repeat(100), ' 192.0.2.1']) {
    assert.equal(normalizeIp(bad), null, String(bad));
  }
});

test('toPort', () => {
  assert.equal(toPort(445), 445);
  assert.equal(toPort(null), null);
  assert.equal(toPort(0), 0);
  assert.equal(toPort(65536), undefined);
  assert.equal(toPort(-1), undefined);
  assert.equal(toPort('445'), undefined);
  assert.equal(toPort(1.5), undefined);
});

test('dionaeaProtocol maps handler names and falls back to the transport', () => {
  assert.equal(dionaeaProtocol('tcp', 'smbd'), 'smb');
  assert.equal(dionaeaProtocol('udp', 'SipSession'), 'sip');
  assert.equal(dionaeaProtocol('udp', 'TftpClient'), 'tftp');
  assert.equal(dionaeaProtocol('tcp', 'newproto'), 'newproto');
  assert.equal(dionaeaProtocol('tcp', 'bad name!'), 'tcp');
  assert.equal(dionaeaProtocol(null, null), 'unknown');
});
