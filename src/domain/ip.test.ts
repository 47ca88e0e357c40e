import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { canonicalIp, intToIpv4, ipv4ToInt, parseIp, parsePrefix, parseIpv4Range } from './ip.js';

describe('ipv4', () => {
  test('parses dotted quads to uint32 and back', () => {
    assert.equal(ipv4ToInt('192.0.2.1'), 0xc0000201);
    assert.equal(ipv4ToInt('0.0.0.0'), 0);
    assert.equal(ipv4ToInt('255.255.255.255'), 0xffffffff);
    assert.equal(intToIpv4(0xc0000201), '192.0.2.1');
    assert.equal(intToIpv4(0xffffffff), '255.255.255.255');
  });

  test('rejects malformed text', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '.1.2.3', '1.2.3.', '01.2.3.4', '192.0.2.010',
      '1.2.3.4 ', ' 1.2.3.4', '1.2.3.a', '1.2.3.4/24', '1111.2.3.4', '1.2.3.-1']) {
      assert.equal(ipv4ToInt(bad), -1, bad);
      assert.equal(parseIp(bad), null, bad);
    }
  });

  test('parses a range of a longer string without slicing', () => {
    const line = '198.51.100.7,198.51.100.255,64500';
    assert.equal(parseIpv4Range(line, 0, 12), ipv4ToInt('198.51.100.7'));
    assert.equal(parseIpv4Range(line, 13, 27), ipv4ToInt('198.51.100.255'));
  });

  test('canonical IPv4 input is returned unchanged', () => {
    const p = parseIp('203.0.113.9');
    assert.deepEqual(p, { version: 4, text: '203.0.113.9', v4: 0xcb007109 });
  });
});

describe('ipv6', () => {
  const cases: [string, string][] = [
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['fe80::', 'fe80::'],
    ['::192.0.2.1', '::c000:201'],
    ['64:ff9b::198.51.100.1', '64:ff9b::c633:6401'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
  ];
  for (const [input, want] of cases) {
    test(`${input} -> ${want}`, () => {
      const p = parseIp(input);
      assert.equal(p?.version, 6);
      assert.equal(p.text, want);
      assert.equal(canonicalIp(input), want);
    });
  }

  test('words hold the 128 bits, most significant first', () => {
    const p = parseIp('2001:db8::1:2');
    assert.ok(p && p.version === 6);
    assert.deepEqual(p.words, [0x20010db8, 0, 0, 0x00010002]);
  });

  test('IPv4-mapped addresses become the IPv4 address', () => {
    assert.deepEqual(parseIp('::ffff:192.0.2.1'), { version: 4, text: '192.0.2.1', v4: 0xc0000201 });
    assert.deepEqual(parseIp('::FFFF:c000:0201'), { version: 4, text: '192.0.2.1', v4: 0xc0000201 });
    assert.equal(canonicalIp('0:0:0:0:0:ffff:203.0.113.5'), '203.0.113.5');
  });

  test('rejects malformed text', () => {
    for (const bad of [':', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', '12345::', '1:', ':1', 'g::1',
      '2001:db8::1%eth0', '[2001:db8::1]', '::1.2.3', '::ffff:256.1.1.1', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::',
      '1:2:3:4:5:6:7:8::', '::1.2.3.4:5', '2001:db8:::1']) {
      assert.equal(parseIp(bad), null, bad);
      assert.equal(canonicalIp(bad), null, bad);
    }
  });

  test('hostile input is rejected, not thrown on', () => {
    assert.equal(parseIp(':'.repeat(10_000)), null);
    assert.equal(parseIp('1'.repeat(100_000)), null);
    assert.equal(parseIp('\u0000\uffff'), null);
  });
});

describe('parsePrefix', () => {
  test('canonical v4 and v6 prefixes', () => {
    assert.deepEqual(parsePrefix('192.0.2.0/24'), { ok: true, prefix: { version: 4, text: '192.0.2.0/24', length: 24, v4: 0xc0000200 } });
    assert.deepEqual(parsePrefix('2001:DB8::/32'), { ok: true, prefix: { version: 6, text: '2001:db8::/32', length: 32, words: [0x20010db8, 0, 0, 0] } });
    assert.deepEqual(parsePrefix('0.0.0.0/0'), { ok: true, prefix: { version: 4, text: '0.0.0.0/0', length: 0, v4: 0 } });
    const r = parsePrefix('::/0');
    assert.ok(r.ok);
    assert.equal(r.prefix.text, '::/0');
  });

  test('a bare address is a full-length prefix', () => {
    const a = parsePrefix('198.51.100.7');
    assert.ok(a.ok);
    assert.equal(a.prefix.text, '198.51.100.7/32');
    const b = parsePrefix('2001:db8::7');
    assert.ok(b.ok);
    assert.equal(b.prefix.text, '2001:db8::7/128');
  });

  test('host bits set are rejected by default and cleared on request', () => {
    const r = parsePrefix('192.0.2.1/24');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason.includes('host bits') && r.reason.includes('192.0.2.0/24'));
    const c = parsePrefix('192.0.2.1/24', { hostBits: 'clear' });
    assert.ok(c.ok);
    assert.equal(c.prefix.text, '192.0.2.0/24');
    const v6 = parsePrefix('2001:db8:1:2::/33');
    assert.equal(v6.ok, false);
    const v6c = parsePrefix('2001:db8:ffff::/33', { hostBits: 'clear' });
    assert.ok(v6c.ok);
    assert.equal(v6c.prefix.text, '2001:db8:8000::/33');
  });

  test('IPv4-mapped prefixes become IPv4 prefixes', () => {
    const r = parsePrefix('::ffff:192.0.2.0/120');
    assert.ok(r.ok);
    assert.equal(r.prefix.text, '192.0.2.0/24');
  });

  test('bad prefixes carry a reason', () => {
    for (const bad of ['192.0.2.0/33', '2001:db8::/129', '192.0.2.0/', '192.0.2.0/024', '192.0.2.0/-1', 'x/8', '/8', '192.0.2.0/8/8', '']) {
      const r = parsePrefix(bad);
      assert.equal(r.ok, false, bad);
      assert.ok(!r.ok && r.reason.length > 0);
    }
  });
});

describe('agrees with node:net and ipaddr.js on generated input', () => {
  // A small deterministic generator, so a failure reproduces.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return Math.floor((seed / 0x80000000) * n); // the high bits: an LCG's low bits cycle quickly
  };

  test('validity matches net.isIP on valid addresses and one-character mutations of them', () => {
    const alphabet = '0123456789abcdefABCDEFg:.';
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const groups = Array.from({ length: 8 }, () => (rnd(3) === 0 ? rnd(65536) : 0));
      const kind = rnd(3);
      let s =
        kind === 0
          ? `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`
          : kind === 1
            ? ipaddr.IPv6.parse(groups.map((g) => g.toString(16)).join(':')).toRFC5952String()
            : `${groups.slice(0, 6).map((g) => g.toString(16)).join(':')}:${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
      const at = rnd(s.length + 1);
      const op = rnd(4);
      if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
      else if (op === 2) s = s.slice(0, at) + alphabet[rnd(alphabet.length)]! + s.slice(at);
      else if (op === 3) s = s.slice(0, at) + alphabet[rnd(alphabet.length)]! + s.slice(at + 1);
      const ok = isIP(s) !== 0;
      if (ok) valid++;
      assert.equal(parseIp(s) !== null, ok, s);
    }
    assert.ok(valid > 5_000 && valid < 19_000, `${valid} valid of 20000: both outcomes are exercised`);
  });

  test('canonical text matches ipaddr.js RFC 5952 output for random addresses', () => {
    for (let i = 0; i < 5_000; i++) {
      // Mostly zero groups, so compression and its tie rules are exercised.
      const groups = Array.from({ length: 8 }, () => (rnd(3) === 0 ? rnd(65536) : 0));
      if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) continue; // mapped: becomes IPv4
      const full = groups.map((g) => g.toString(16).padStart(rnd(2) === 0 ? 4 : 1, '0')).join(':');
      const text = rnd(2) === 0 ? full.toUpperCase() : full;
      const want = ipaddr.IPv6.parse(text).toRFC5952String();
      assert.equal(canonicalIp(text), want, text);
      assert.equal(canonicalIp(want), want, want);
    }
  });
});
