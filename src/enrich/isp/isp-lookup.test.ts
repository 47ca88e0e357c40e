import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIspLookup, IspConfigError, validateIspConfig, type IspConfig } from './isp-lookup.js';
import type { AsnLookup } from '../types.js';

const asn: AsnLookup = {
  asn(ip) {
    if (ip.startsWith('192.0.2.')) return { asn: 64500, org: 'Example Net' };
    if (ip.startsWith('198.51.100.')) return { asn: 64501, org: null };
    if (ip.startsWith('2001:db8:')) return { asn: 64502, org: null };
    return null;
  },
};

const ISPS: IspConfig[] = [
  { name: 'Alpha Telecom', asns: [64500] },
  { name: 'Beta Broadband', prefixes: ['192.0.2.128/25', '2001:db8:1::/48'] },
  { name: 'Gamma Mobile', prefixes: ['192.0.2.192/26', '198.51.100.0/24'], asns: [64502] },
];

test('longest configured prefix wins, then the ASN list', () => {
  const l = createIspLookup(ISPS, asn);
  assert.equal(l.isp('192.0.2.1'), 'Alpha Telecom', 'no prefix: by ASN 64500');
  assert.equal(l.isp('192.0.2.130'), 'Beta Broadband', 'a prefix beats the AS owner');
  assert.equal(l.isp('192.0.2.200'), 'Gamma Mobile', 'the /26 beats the /25');
  assert.equal(l.isp('198.51.100.7'), 'Gamma Mobile');
  assert.equal(l.isp('2001:db8:1::5'), 'Beta Broadband');
  assert.equal(l.isp('2001:db8:2::5'), 'Gamma Mobile', 'IPv6 by ASN');
  assert.equal(l.isp('203.0.113.5'), null);
  assert.equal(l.isp('::ffff:192.0.2.130'), 'Beta Broadband');
  assert.equal(l.isp('nonsense'), null);
});

test('ispV4 answers as isp does, with or without the ASN handed in', () => {
  const l = createIspLookup(ISPS, asn);
  const v4 = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  for (const ip of ['192.0.2.1', '192.0.2.130', '192.0.2.200', '198.51.100.7', '203.0.113.5']) {
    assert.equal(l.ispV4?.(v4(ip)), l.isp(ip), ip);
    assert.equal(l.ispV4?.(v4(ip), asn.asn(ip)?.asn ?? null), l.isp(ip), `${ip} with its ASN`);
  }
  assert.equal(l.ispV4?.(v4('203.0.113.5'), 64500), 'Alpha Telecom', 'the ASN handed in is the one used');
  assert.equal(l.ispV4?.(v4('192.0.2.1'), null), null, 'null: no ASN, no ASN match');
});

test('without an ASN lookup only prefixes count', () => {
  const l = createIspLookup(ISPS);
  assert.equal(l.isp('192.0.2.1'), null);
  assert.equal(l.isp('192.0.2.130'), 'Beta Broadband');
});

test('validateIspConfig names the ISPs and the prefix or ASN', () => {
  const errors = validateIspConfig([
    { name: 'Alpha', prefixes: ['192.0.2.0/24', '192.0.2.0/24'], asns: [64500] },
    { name: 'Beta', prefixes: ['192.0.2.0/24', '198.51.100.1/24', 'bogus'], asns: [64500, -1] },
    { name: 'Alpha' },
    { name: ' ' },
    { name: 'Gamma', prefixes: ['192.0.2.128/25'] },
  ]);
  assert.deepEqual(errors, [
    'prefix 192.0.2.0/24 is claimed by ISP "Alpha" and ISP "Beta"',
    'ISP "Beta": host bits set in "198.51.100.1/24" (network is 198.51.100.0/24)',
    'ISP "Beta": invalid address in prefix "bogus"',
    'AS64500 is claimed by ISP "Alpha" and ISP "Beta"',
    'ISP "Beta": invalid ASN -1',
    'ISP "Alpha" is configured twice',
    'an ISP has an empty name',
  ]);
  assert.deepEqual(validateIspConfig(ISPS), []);
});

test('the same prefix in another spelling is the same prefix', () => {
  const errors = validateIspConfig([
    { name: 'A', prefixes: ['2001:db8::/32'] },
    { name: 'B', prefixes: ['2001:0DB8:0:0::/32'] },
  ]);
  assert.deepEqual(errors, ['prefix 2001:db8::/32 is claimed by ISP "A" and ISP "B"']);
});

test('createIspLookup refuses an invalid configuration', () => {
  assert.throws(
    () => createIspLookup([{ name: 'A', prefixes: ['192.0.2.0/24'] }, { name: 'B', prefixes: ['192.0.2.0/24'] }]),
    (e: unknown) => e instanceof IspConfigError && e.errors.length === 1 && /"A" and ISP "B"/.test(e.message),
  );
});
