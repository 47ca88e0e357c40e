import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorld } from './generate-world.js';
import { createS25rClassifier, matchingRules, normaliseName } from '../s25r/index.js';
import type { FakeRecord } from '../resolver/fake-spec.js';

const world = generateWorld({ seed: 7 });
const DOC = /^(192\.0\.2|198\.51\.100|203\.0\.113|233\.252\.0)\.\d+$/;

/** The A records the world serves for a name, from the spec (what a forward lookup returns). */
function forwardOf(name: string): string[] {
  const out: string[] = [];
  for (const z of world.spec.zones) for (const r of (z.records ?? []) as FakeRecord[]) if (r.name === name && r.type === 'A') out.push(r.value);
  return out;
}

describe('generateWorld', () => {
  test('is deterministic by seed and differs between seeds', () => {
    assert.deepEqual(JSON.stringify(generateWorld({ seed: 7 })), JSON.stringify(world));
    assert.notEqual(JSON.stringify(generateWorld({ seed: 8 }).truth.ccNames), JSON.stringify(world.truth.ccNames));
  });

  test('lists the requested number of names, each once, with every kind present', () => {
    assert.equal(world.ccNames.length, 300);
    assert.equal(new Set(world.ccNames).size, 300);
    assert.equal(world.controlNames.length, 120);
    const kinds = new Set(world.truth.ccNames.map((n) => n.kind));
    for (const k of ['a', 'cname', 'flux', 'nxdomain', 'lame', 'sinkhole']) assert.ok(kinds.has(k as never), k);
    assert.ok(world.truth.ccNames.some((n) => n.glueless && n.status === 'ok'), 'some glueless delegations');
    assert.ok(world.truth.ccNames.some((n) => n.lameFirst && n.status === 'ok'), 'some zones with a lame first server');
  });

  test('data addresses are documentation addresses; listeners are loopback', () => {
    for (const h of Object.values(world.truth.hosts)) assert.match(h.ip, DOC);
    for (const z of world.spec.zones) for (const s of z.servers) assert.match(s.ip, /^127\.0\.(1|3)\.\d+$/);
    for (const [listen, ip] of Object.entries(world.dnsAddresses)) {
      assert.match(listen, /^127\./);
      assert.equal(world.truth.hosts[ip]?.listenIp, listen);
    }
    for (const n of world.truth.ccNames) for (const a of n.addresses) assert.match(a, DOC);
  });

  test('the class shares of each population add up to 1', () => {
    for (const pop of ['cc', 'dns']) {
      const s = (k: string): number => world.truth.shares[`${pop}.${k}`]?.count ?? NaN;
      assert.equal(s('endUser') + s('unmanaged') + s('professional'), world.truth.shares[`${pop}.endUser`]?.n);
    }
    assert.ok(world.truth.ccIps.length > 150);
    assert.ok(world.truth.dnsIps.length > 20);
    assert.ok(!world.truth.ccIps.some((ip) => world.truth.sinkholeIps.includes(ip)), 'sinkholes are outside the C&C population');
  });

  test('PTR names have the shapes their kind promises, and S25R agrees with the truth on every host', () => {
    const classify = createS25rClassifier();
    for (const h of Object.values(world.truth.hosts)) {
      if (h.ptrKind === 'none') assert.equal(h.ptr, null);
      else assert.ok(h.ptr !== null && h.ptr.length > 0);
      if (h.ptr !== null) {
        const rules = matchingRules(normaliseName(h.ptr));
        if (h.ptrKind === 'dynamic' || h.ptrKind === 'hosting-ip') assert.ok(rules.length > 0, `${h.ptr} should match a rule`);
        if (h.ptrKind === 'hosting' || h.ptrKind === 'quiet-home' || h.ptrKind === 'unconfirmed') assert.deepEqual(rules, [], `${h.ptr} should match no rule`);
      }
      const fwd = h.ptr === null ? null : forwardOf(h.ptr);
      if (h.ptrKind === 'unconfirmed') assert.ok(!(fwd ?? []).includes(h.ip));
      else if (h.ptr !== null) assert.deepEqual(fwd, [h.ip]);
      assert.equal(classify({ ip: h.ip, ptr: h.ptr, forwardAddresses: fwd }).endUser, h.s25rFires, `${h.ip} ${h.ptr}`);
    }
    const eu = Object.values(world.truth.hosts).filter((h) => h.admin === 'end-user');
    assert.ok(eu.filter((h) => h.ptrKind === 'dynamic').length > eu.length * 0.7, 'most end-user lines have dynamic names');
  });

  test('the blocklist snapshots carry the requested persistence, about 9 months apart', () => {
    const p = world.truth.persistence;
    assert.ok(p.newerEntries >= 20, `${p.newerEntries} entries`);
    assert.ok(Math.abs(p.share - 0.34) <= 0.5 / p.newerEntries + 1e-9);
    assert.equal(p.olderDate, '2025-01-15');
    assert.equal(p.newerDate, '2025-10-15');
  });

  test('every C&C host has an IRC behaviour and a lifetime; professionals mostly die young', () => {
    const cc = Object.values(world.truth.hosts).filter((h) => h.role === 'cc');
    for (const h of cc) {
      assert.ok(h.irc !== null);
      assert.ok(h.lifetimeDays !== null && h.lifetimeDays >= 1);
    }
    const short = (a: string): number => {
      const xs = cc.filter((h) => h.admin === a && !h.sinkhole);
      return xs.filter((h) => (h.lifetimeDays as number) < 7).length / xs.length;
    };
    assert.ok(short('professional') > 0.6 && short('unmanaged') === 0);
  });

  test('rejects option values outside the supported range', () => {
    assert.throws(() => generateWorld({ seed: 1, names: 5 }), RangeError);
    assert.throws(() => generateWorld({ seed: 1, names: 10_000 }), RangeError);
    assert.throws(() => generateWorld({ seed: 1, persistence: 1.5 }), RangeError);
  });

  test('the largest world still fits the documentation ranges', () => {
    const big = generateWorld({ seed: 3, names: 500, controlNames: 200 });
    assert.equal(big.ccNames.length, 500);
  });
});
