import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { classifyReply } from './classify-reply.js';

/** Encodes and decodes a reply, so the classifier sees exactly what dns-packet produces from the wire. */
function reply(o: { aa?: boolean; rcode?: number; answers?: Answer[]; authorities?: Answer[]; additionals?: Answer[] }) {
  const buf = dnsPacket.encode({
    type: 'response',
    id: 1,
    flags: (o.aa === true ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (o.rcode ?? 0),
    questions: [{ type: 'A', name: 'www.c2.test', class: 'IN' }],
    answers: o.answers ?? [],
    authorities: o.authorities ?? [],
    additionals: o.additionals ?? [],
  });
  return dnsPacket.decode(buf);
}
const a = (name: string, data: string, ttl = 300): Answer => ({ type: 'A', name, data, ttl, class: 'IN' });
const ns = (name: string, data: string): Answer => ({ type: 'NS', name, data, ttl: 600, class: 'IN' });

describe('classifying replies', () => {
  test('keeps the A records in wire order and takes the smallest TTL', () => {
    const c = classifyReply(reply({ aa: true, answers: [a('www.c2.test', '192.0.2.2', 50), a('www.c2.test', '192.0.2.1')] }), 'c2.test', 'www.c2.test', 8);
    assert.deepEqual(c, { kind: 'answer', addresses: ['192.0.2.2', '192.0.2.1'], chain: [], ttl: 50 });
  });

  test('an answer without AA is lame', () => {
    const c = classifyReply(reply({ answers: [a('www.c2.test', '192.0.2.2')] }), 'c2.test', 'www.c2.test', 8);
    assert.equal(c.kind, 'lame');
  });

  test('ignores answer records outside the zone the server was asked as (no cache poisoning)', () => {
    // A server for "other.test" cannot answer for c2.test, even with AA.
    const c = classifyReply(reply({ aa: true, answers: [a('www.c2.test', '203.0.113.66')] }), 'other.test', 'www.c2.test', 8);
    assert.notEqual(c.kind, 'answer');
  });

  test('a referral keeps in-bailiwick glue and drops glue for names outside the referring zone', () => {
    const c = classifyReply(
      reply({
        authorities: [ns('c2.test', 'ns1.c2.test'), ns('c2.test', 'ns.elsewhere.example')],
        additionals: [a('ns1.c2.test', '192.0.2.53'), a('ns.elsewhere.example', '203.0.113.66')],
      }),
      'test',
      'www.c2.test',
      8,
    );
    assert.deepEqual(c, {
      kind: 'referral',
      zone: 'c2.test',
      servers: [
        { name: 'ns1.c2.test', ips: ['192.0.2.53'] },
        { name: 'ns.elsewhere.example', ips: [] },
      ],
      ttl: 600,
    });
  });

  test('referrals sideways, upwards or to the same zone are refused as loops', () => {
    for (const [owner, zone] of [['other.test', 'test'], ['test', 'c2.test'], ['c2.test', 'c2.test'], ['.', 'test']] as const) {
      const c = classifyReply(reply({ authorities: [ns(owner, 'ns.x.test')] }), zone, 'www.c2.test', 8);
      assert.equal(c.kind, 'lame', `${owner} from ${zone}`);
      assert.equal(c.kind === 'lame' ? c.problem : '', 'loop');
    }
  });

  test('rcodes: NXDOMAIN with AA ends, without AA is lame; REFUSED and SERVFAIL are skipped', () => {
    assert.equal(classifyReply(reply({ aa: true, rcode: 3 }), 'c2.test', 'www.c2.test', 8).kind, 'nxdomain');
    assert.equal(classifyReply(reply({ rcode: 3 }), 'c2.test', 'www.c2.test', 8).kind, 'lame');
    const refused = classifyReply(reply({ rcode: 5 }), 'c2.test', 'www.c2.test', 8);
    assert.equal(refused.kind === 'lame' ? refused.problem : '', 'refused');
    const servfail = classifyReply(reply({ rcode: 2 }), 'c2.test', 'www.c2.test', 8);
    assert.equal(servfail.kind === 'lame' ? servfail.problem : '', 'servfail');
  });

  test('follows a CNAME inside the zone and hands over one that leaves it', () => {
    const cn = (name: string, data: string): Answer => ({ type: 'CNAME', name, data, ttl: 60, class: 'IN' });
    const inside = classifyReply(reply({ aa: true, answers: [cn('www.c2.test', 'host.c2.test'), a('host.c2.test', '192.0.2.7')] }), 'c2.test', 'www.c2.test', 8);
    assert.deepEqual(inside, { kind: 'answer', addresses: ['192.0.2.7'], chain: ['host.c2.test'], ttl: 300 });
    const out = classifyReply(reply({ aa: true, answers: [cn('www.c2.test', 'cdn.example'), a('cdn.example', '203.0.113.66')] }), 'c2.test', 'www.c2.test', 8);
    assert.deepEqual(out, { kind: 'cname', chain: ['cdn.example'], next: 'cdn.example' });
    const loop = classifyReply(reply({ aa: true, answers: [cn('www.c2.test', 'b.c2.test'), cn('b.c2.test', 'www.c2.test')] }), 'c2.test', 'www.c2.test', 8);
    assert.equal(loop.kind === 'lame' ? loop.problem : '', 'loop');
  });
});
