/**
 * The served world is internally consistent: every name resolves from the root to its true
 * addresses and server, PTRs and forward lookups give what the truth says, the list files parse
 * with the feed readers and hold exactly the truth's members, the IRC listeners answer as the
 * truth says. Then a small study on it lands within its intervals of the truth.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startStudyWorld, type StudyWorld } from './start-study-world.js';
import { compareToTruth, type StudyEstimate } from './compare-to-truth.js';
import { createIterativeResolver, parseRootHints } from '../resolver/index.js';
import type { IterativeResolver, ResolveResult } from '../resolver/index.js';
import { createS25rClassifier, endUserRange } from '../s25r/index.js';
import { probeMany } from '../irc-probe/index.js';
import { FEED_FORMATS, isFeedFormatName } from '../../feeds/registry.js';
import { createBlocklistMatcher } from '../../feeds/match.js';
import { listingPersistence } from '../../feeds/persistence.js';
import { parseSinkholeList } from '../../feeds/sinkholes.js';
import { openGeoDatabase } from '../../enrich/geo/geo-database.js';
import { createPtrResolver } from '../../enrich/rdns/ptr-resolver.js';
import { wilson } from '../../domain/study-math.js';
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { WorldFilePath } from './start-study-world.js';

let w: StudyWorld;
let resolver: IterativeResolver;
const results = new Map<string, ResolveResult>();

async function readFeed(f: WorldFilePath): Promise<FeedSnapshot> {
  assert.ok(f.format !== undefined && isFeedFormatName(f.format), `${f.name} has a feed format`);
  return FEED_FORMATS[f.format].read(f.path, { ...(f.feed !== undefined ? { feed: f.feed } : {}), ...(f.snapshotDate !== undefined ? { snapshotDate: f.snapshotDate } : {}) });
}

before(async () => {
  w = await startStudyWorld({ seed: 11 });
  resolver = createIterativeResolver({ rootHints: w.rootHints, port: w.dnsPort, timeoutMs: 500, retries: 1 });
  for await (const r of resolver.resolveMany([...w.world.ccNames, ...w.world.controlNames], { concurrency: 50 })) results.set(r.name, r);
});
after(async () => {
  await resolver?.close();
  await w?.stop();
});

describe('the served study world', () => {
  test('root.hints on disk parses to the hints handed out', async () => {
    const parsed = parseRootHints(await readFile(w.files.rootHints.path, 'utf8'));
    assert.deepEqual(parsed.rejects, []);
    assert.deepEqual(parsed.hints, [...w.rootHints]);
  });

  test('every C&C and control name resolves iteratively to its true status, addresses and server', () => {
    for (const t of [...w.truth.ccNames, ...w.truth.controlNames]) {
      const r = results.get(t.name);
      assert.ok(r !== undefined, t.name);
      assert.equal(r.status, t.status, `${t.name}: ${r.error}`);
      if (t.status !== 'ok') continue;
      assert.equal(r.firstAddress, t.firstAddress, t.name);
      if (t.kind === 'flux') assert.ok(t.addresses.includes(r.firstAddress as string));
      else assert.deepEqual(r.addresses, t.addresses, t.name);
      assert.deepEqual(r.cnameChain, t.cnameChain, t.name);
      assert.equal(w.dnsAddresses.get(r.authServer?.ip ?? ''), t.authServer?.ip, `${t.name} answered by ${r.authServer?.name}`);
      if (t.lameFirst) assert.ok(r.problems.some((p) => p.kind === 'lame'), `${t.name} skipped a lame server`);
    }
  });

  test('a fast-flux name rotates its address between rounds', async () => {
    const flux = w.truth.ccNames.find((n) => n.kind === 'flux');
    assert.ok(flux !== undefined);
    const rounds = await resolver.collectRounds([flux.name], { rounds: 3, intervalMs: 0 });
    assert.equal(rounds[0]?.fastFlux, true);
  });

  test('PTRs and their forward lookups give what the truth says, and S25R fires where it should', async () => {
    const ptr = createPtrResolver({ servers: [`${w.ptrServer.host}:${w.ptrServer.port}`], timeoutMs: 1000, tries: 2 });
    const classify = createS25rClassifier();
    const ips = [...w.truth.ccIps, ...w.truth.dnsIps, ...w.truth.controlIps];
    for (const ip of ips) {
      const h = w.truth.hosts[ip];
      assert.ok(h !== undefined);
      const name = await ptr.ptr(ip);
      assert.equal(name, h.ptr, ip);
      const fwd = name === null ? null : await resolver.resolve(name);
      const v = classify({ ip, ptr: name, forwardAddresses: fwd === null ? null : fwd.addresses });
      assert.equal(v.endUser, h.s25rFires, `${ip} ${name} rules ${v.rules.join(',')}`);
    }
    assert.equal(ptr.stats().errors + ptr.stats().timeouts, 0);
  });

  test('blocklist files parse cleanly and list exactly the truth members', async () => {
    const snaps = await Promise.all(w.files.blocklists.map(readFeed));
    for (const s of snaps) {
      assert.deepEqual(s.rejects, [], s.source);
      assert.equal(s.snapshotDate, '2025-10-15', s.source);
    }
    const sinkholes = parseSinkholeList(await readFile(w.files.sinkholes.path, 'utf8'));
    const matcher = createBlocklistMatcher(snaps);
    for (const h of Object.values(w.truth.hosts)) {
      assert.deepEqual(matcher.feedsListing(h.ip).sort(), [...h.blocklists], h.ip);
      assert.equal(sinkholes.isSinkhole(h.ip) !== null, h.sinkhole, h.ip);
    }
  });

  test('the two dated snapshots give the true listing persistence', async () => {
    const [older, newer] = await Promise.all(w.files.snapshots.map(readFeed));
    assert.ok(older !== undefined && newer !== undefined);
    const p = listingPersistence(older, newer);
    assert.equal(p.newerEntries, w.truth.persistence.newerEntries);
    assert.equal(p.alsoInOlder, w.truth.persistence.alsoInOlder);
    assert.ok(p.monthsApart !== null && p.monthsApart > 8.5 && p.monthsApart < 9.5);
  });

  test('ThreatFox and Feodo first/last seen give each C&C address its true lifetime', async () => {
    for (const f of w.files.lifetimes) {
      const s = await readFeed(f);
      assert.deepEqual(s.rejects, [], f.name);
      assert.ok(s.entries.length > 10, f.name);
      for (const e of s.entries) {
        const ip = e.ip ?? e.value;
        const days = (Date.parse(e.lastSeen ?? '') - Date.parse(e.firstSeen ?? '')) / 86_400_000;
        assert.equal(days, w.truth.hosts[ip]?.lifetimeDays, `${f.name} ${ip}`);
      }
    }
  });

  test('the country database gives every host its true country', async () => {
    const geo = await openGeoDatabase(w.files.geoDb.path);
    for (const h of Object.values(w.truth.hosts)) assert.equal(geo.country(h.ip), h.country, h.ip);
    assert.equal(geo.country('2001:db8::1'), 'FR');
  });

  test('the IRC listeners answer as the truth says', async () => {
    const ips = [...w.ircTargets.keys()];
    const targets = ips.map((ip) => w.ircTargets.get(ip) as { host: string; port: number });
    const verdicts = await probeMany(targets, { active: false, concurrency: 8, timeoutMs: 3000 });
    ips.forEach((ip, i) => assert.equal(verdicts[i]?.verdict, w.truth.hosts[ip]?.irc, ip));
  });

  test('a small study lands within its intervals of the truth, or says why not', async () => {
    const ptr = createPtrResolver({ servers: [`${w.ptrServer.host}:${w.ptrServer.port}`] });
    const classify = createS25rClassifier();
    const s25r = async (ip: string): Promise<boolean> => {
      const name = await ptr.ptr(ip);
      const fwd = name === null ? null : (await resolver.resolve(name)).addresses;
      return classify({ ip, ptr: name, forwardAddresses: fwd }).endUser;
    };
    // The study's own populations, from what it resolved (not from the truth).
    const ok = (names: readonly string[]): ResolveResult[] => names.map((n) => results.get(n)).filter((r): r is ResolveResult => r?.status === 'ok');
    const sinkholes = parseSinkholeList(await readFile(w.files.sinkholes.path, 'utf8'));
    const ccIps = [...new Set(ok(w.world.ccNames).map((r) => r.firstAddress as string))].filter((ip) => sinkholes.isSinkhole(ip) === null);
    const dnsIps = [...new Set(ok(w.world.ccNames).map((r) => w.dnsAddresses.get(r.authServer?.ip ?? '') as string))];
    const ctlIps = [...new Set(ok(w.world.controlNames).map((r) => r.firstAddress as string))];
    const eu = new Map<string, boolean>();
    for (const ip of [...ccIps, ...dnsIps, ...ctlIps]) eu.set(ip, await s25r(ip));
    const control = ctlIps.map((ip) => ({ endUser: eu.get(ip) as boolean }));
    const rangeEstimate = (key: string, ips: string[]): StudyEstimate => {
      const r = endUserRange(
        ips.map((ip) => ({ endUser: eu.get(ip) as boolean })),
        control,
      );
      assert.ok(r.range !== null && r.raw.low !== null && r.raw.high !== null && r.raw.share !== null);
      // [corrected, raw], each end widened by the raw share's Wilson half-width on its side.
      return { key, estimate: (r.range[0] + r.range[1]) / 2, interval: [Math.max(0, r.range[0] - (r.raw.share - r.raw.low)), r.raw.high] };
    };
    const shareEstimate = (key: string, hits: number, n: number, bound: StudyEstimate['bound'] = 'interval'): StudyEstimate => {
      const s = wilson(hits, n);
      return { key, estimate: s.share, interval: s.low === null || s.high === null ? null : [s.low, s.high], bound };
    };
    const snaps = await Promise.all(w.files.blocklists.map(readFeed));
    const matcher = createBlocklistMatcher(snaps);
    const notEu = ccIps.filter((ip) => eu.get(ip) !== true);
    const listed = notEu.filter((ip) => matcher.feedsListing(ip).length > 0).length;
    const ircs = await probeMany(
      ccIps.map((ip) => w.ircTargets.get(ip) as { host: string; port: number }),
      { active: false, concurrency: 8, timeoutMs: 3000 },
    );
    const lifetimes = new Map<string, number>();
    const tf = await readFeed(w.files.lifetimes[0] as WorldFilePath);
    for (const e of tf.entries) if (e.ip !== undefined) lifetimes.set(e.ip, (Date.parse(e.lastSeen ?? '') - Date.parse(e.firstSeen ?? '')) / 86_400_000);
    const withLife = notEu.filter((ip) => lifetimes.has(ip));
    const [older, newer] = await Promise.all(w.files.snapshots.map(readFeed));
    const p = listingPersistence(older as FeedSnapshot, newer as FeedSnapshot);

    const estimates: StudyEstimate[] = [
      rangeEstimate('cc.endUser', ccIps),
      rangeEstimate('dns.endUser', dnsIps),
      shareEstimate('cc.unmanaged', listed, ccIps.length, 'lower'),
      shareEstimate('cc.openIrc', ircs.filter((r) => r.verdict === 'open').length, ircs.length),
      shareEstimate('cc.lifetimeUnder7', withLife.filter((ip) => (lifetimes.get(ip) as number) < 7).length, withLife.length),
      shareEstimate('control.s25r', control.filter((c) => c.endUser).length, control.length),
      shareEstimate('blocklist.persistence', p.alsoInOlder, p.newerEntries),
    ];
    const rows = compareToTruth(estimates, w.truth);
    for (const r of rows) {
      const iv = r.interval === null ? '-' : `[${r.interval[0].toFixed(3)}, ${r.interval[1].toFixed(3)}]`;
      console.log(`${r.within ? 'within ' : 'OUTSIDE'} ${r.key.padEnd(22)} estimate ${r.estimate?.toFixed(3)} ${iv} truth ${r.truth?.toFixed(3)} — ${r.why}`);
    }
    // Exact measurements must hit the truth exactly; estimates must land within their interval.
    assert.equal(estimates.find((e) => e.key === 'cc.openIrc')?.estimate, w.truth.shares['cc.openIrc']?.share);
    assert.equal(estimates.find((e) => e.key === 'control.s25r')?.estimate, w.truth.shares['control.s25r']?.share);
    for (const r of rows) assert.ok(r.within, `${r.key}: ${r.why}`);
  });
});
