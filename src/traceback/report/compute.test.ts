import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StudyIpRecord } from '../../storage/repositories/traceback-ips.js';
import type { ResolutionRecord } from '../../storage/repositories/traceback-resolutions.js';
import { wilson } from '../../domain/study-math.js';
import { blocklistTable, byCountry, combinedEstimate, countryFigures, ircTable, lifetimeTable, reachTable, resolutionSummary, s25rTable } from './compute.js';

const base: StudyIpRecord = {
  ip: '192.0.2.1',
  role: 'cc',
  names: [],
  country: 'AA',
  asn: null,
  ptr: null,
  forwardOk: null,
  s25rRules: [],
  endUser: false,
  blocklists: [],
  sinkhole: null,
  ircVerdict: null,
  ircDetail: null,
  lifetimeDays: null,
  lifetimeCensored: null,
  classification: 'professional',
  classifiedAt: '2024-05-01T00:00:00.000Z',
};
const listed = [{ feed: 'drop', snapshotDate: '2024-04-01', by: 'cidr' as const, value: '192.0.2.0/24' }];

/**
 * 10 C&C IPs (and 1 sinkhole): 3 end users (one also listed), 2 unmanaged, 5 professional
 * (2 open IRC, 1 with a 3-day life). 10 control IPs, 1 flagged by S25R.
 */
function world(): StudyIpRecord[] {
  const ips: StudyIpRecord[] = [];
  const cc = (i: number, o: Partial<StudyIpRecord>): void => {
    ips.push({ ...base, ip: `192.0.2.${i}`, ...o });
  };
  cc(1, { endUser: true, s25rRules: [0], classification: 'end-user', country: 'AA', lifetimeDays: 2, lifetimeCensored: false });
  cc(2, { endUser: true, s25rRules: [1, 2], classification: 'end-user', country: 'BB' });
  cc(3, { endUser: true, s25rRules: [0, 1], classification: 'end-user', country: 'BB', blocklists: listed });
  cc(4, { blocklists: listed, classification: 'unmanaged', country: 'AA', lifetimeDays: 40, lifetimeCensored: true });
  cc(5, { blocklists: [{ ...listed[0]!, by: 'asn', value: 'AS64500' }], classification: 'unmanaged', country: 'AA', ircVerdict: 'password-required' });
  cc(6, { ircVerdict: 'open', country: 'AA', lifetimeDays: 10, lifetimeCensored: false });
  cc(7, { ircVerdict: 'open', country: 'BB' });
  cc(8, { lifetimeDays: 3, lifetimeCensored: false, country: 'AA', ircVerdict: 'refused' });
  cc(9, { lifetimeDays: 5, lifetimeCensored: true, country: null });
  cc(10, { country: 'AA' });
  cc(11, { sinkhole: 'research', classification: 'sinkhole', blocklists: listed, ircVerdict: 'open' });
  for (let i = 0; i < 10; i++) ips.push({ ...base, ip: `198.51.100.${i}`, role: 'control-cc', endUser: i === 0, classification: i === 0 ? 'end-user' : 'professional' });
  // DNS: 4 servers, 2 end users; control DNS: 5, 1 end user.
  for (let i = 0; i < 4; i++) ips.push({ ...base, ip: `203.0.113.${i}`, role: 'dns', endUser: i < 2, s25rRules: i < 2 ? [3] : [] });
  for (let i = 0; i < 5; i++) ips.push({ ...base, ip: `203.0.113.${100 + i}`, role: 'control-dns', endUser: i === 0 });
  return ips;
}

describe('study report numbers, by hand', () => {
  const ips = world();
  const t1 = s25rTable(ips);

  test('Table 1: C&C 3/10 raw, 1/10 control, 20% corrected; DNS 2/4 raw, 1/5 control, 30% corrected', () => {
    assert.equal(t1.cc.raw.share, 0.3);
    assert.equal(t1.cc.control.share, 0.1);
    assert.equal(t1.cc.corrected, 0.2);
    assert.deepEqual(t1.cc.range, [0.2, 0.3]);
    assert.equal(t1.dns.raw.share, 0.5);
    assert.equal(t1.dns.control.share, 0.2);
    assert.equal(t1.dns.corrected, 0.3); // (2·5 − 1·4) / (4·5) = 6/20
    // Rule counts over C&C IPs: rule 0 fired for .1 and .3, rule 1 for .2 and .3, rule 2 for .2.
    assert.deepEqual(t1.rules.cc, [2, 2, 1, 0, 0, 0, 0]);
    assert.deepEqual(t1.rules.dns, [0, 0, 0, 2, 0, 0, 0]);
  });

  test('Table 2: 3 of 10 C&C IPs listed (the sinkhole is left out); one by ASN', () => {
    const t2 = blocklistTable(ips);
    assert.equal(t2.cc.count, 3);
    assert.equal(t2.cc.n, 10);
    assert.equal(t2.sinkholes, 1);
    assert.equal(t2.dns.count, 0);
    assert.equal(t2.perList.length, 1);
    assert.deepEqual([t2.perList[0]?.byIp, t2.perList[0]?.byCidr, t2.perList[0]?.byAsn], [0, 2, 1]);
    assert.deepEqual([t2.cc.low, t2.cc.high], [wilson(3, 10).low, wilson(3, 10).high]);
  });

  test('Table 3: 2 open of 4 probed; 6 not probed', () => {
    const t3 = ircTable(ips);
    assert.equal(t3.open.count, 2);
    assert.equal(t3.open.n, 4);
    assert.deepEqual(t3.verdicts, { 'password-required': 1, open: 2, refused: 1 });
    assert.equal(t3.notProbed, 6);
  });

  test('Table 4: among 7 non-end-user C&C IPs, lifetimes known for 4; .9 undetermined; 1 of 3 decidable is short', () => {
    const t4 = lifetimeTable(ips);
    // .4 (40 d, still listed: long), .6 (10 d), .8 (3 d: short); .9 (5 d, still listed): undetermined.
    assert.equal(t4.count, 1);
    assert.equal(t4.n, 3);
    assert.equal(t4.undetermined, 1);
    assert.equal(t4.unknown, 3);
    assert.equal(t4.endUserExcluded, 3);
  });

  test('combined: end user 20–30%, unmanaged ≥ 20%, professional 50–60%, evidence 3 of 5', () => {
    const c = combinedEstimate(ips, t1);
    assert.equal(c.n, 10);
    assert.deepEqual(c.endUser.range, [0.2, 0.3]);
    assert.equal(c.unmanagedLowerBound.share, 0.2);
    assert.equal(c.professional.classified.share, 0.5);
    // high = (5·10 + min(3·10, 1·10)) / (10·10) = 60/100
    assert.deepEqual(c.professional.range, [0.5, 0.6]);
    // .6 and .7 open IRC, .8 a 3-day life; .9 still listed; .10 nothing.
    assert.equal(c.professionalEvidence.count, 3);
    assert.equal(c.professionalEvidence.n, 5);
  });

  test('reach p^(k+1) over [0.5, 0.6]', () => {
    const r = reachTable([0.5, 0.6]);
    assert.equal(r.length, 5);
    assert.deepEqual(r[0]?.range, [0.25, 0.36]);
    assert.deepEqual(r[0]?.paper, [0.16, 0.25]);
    assert.equal(r[1]?.range?.[0], 0.125);
    assert.ok(Math.abs((r[1]?.range?.[1] ?? 0) - 0.216) < 1e-12);
    assert.equal(r[4]?.range?.[0], 0.015625);
    assert.equal(r[2]?.paper, null);
    assert.deepEqual(reachTable(null, 2).map((x) => x.range), [null, null]);
  });

  test('the paper: p in [0.4, 0.5] gives its one- and two-stone figures, not its five-stone 1–3%', () => {
    const r = reachTable([0.4, 0.5]);
    assert.deepEqual(r[0]?.range?.map((x) => Math.round(x * 100)), [16, 25]);
    assert.deepEqual(r[1]?.range?.map((x) => Math.round(x * 1000) / 10), [6.4, 12.5]);
    assert.deepEqual(r[4]?.range?.map((x) => Math.round(x * 1000) / 10), [0.4, 1.6]);
  });

  test('by country: most IPs first; unknown country as ??', () => {
    const f = countryFigures(ips);
    assert.deepEqual(
      f.endUserCc.map((b) => [b.country, b.ratio.count, b.ratio.n]),
      [['AA', 1, 6], ['BB', 2, 3], ['??', 0, 1]],
    );
    assert.deepEqual(f.openIrc.map((b) => [b.country, b.ratio.count, b.ratio.n]), [['AA', 1, 3], ['BB', 1, 1]]);
    // decidable: .4 (AA, long), .6 (AA, long), .8 (AA, short)
    assert.deepEqual(f.shortLived.map((b) => [b.country, b.ratio.count, b.ratio.n]), [['AA', 1, 3]]);
    assert.deepEqual(byCountry([], () => true, () => true), []);
  });
});

test('empty study: every share is null, nothing throws', () => {
  const t1 = s25rTable([]);
  assert.equal(t1.cc.raw.share, null);
  const c = combinedEstimate([], t1);
  assert.equal(c.professional.range, null);
  assert.equal(ircTable([]).open.share, null);
  assert.equal(lifetimeTable([]).share, null);
});

test('no control set: end-user range is the raw share alone, professional high = low', () => {
  const ips = world().filter((r) => r.role === 'cc');
  const t1 = s25rTable(ips);
  const c = combinedEstimate(ips, t1);
  assert.deepEqual(c.endUser.range, [0.3, 0.3]);
  assert.deepEqual(c.professional.range, [0.5, 0.5]);
});

test('resolution summary: latest round per name, mean hops of the resolved ones', () => {
  const r = (round: number, name: string, status: string, hops: number, queries: number): ResolutionRecord => ({
    round, set: 'cc', name, status, authServerName: null, authServerIp: null, firstAddress: null, addresses: [], cnameChain: [], delegationPath: [], hops, error: null, queries, resolvedAt: '2024-05-01T00:00:00.000Z',
  });
  const s = resolutionSummary([r(1, 'a.test', 'timeout', 0, 4), r(2, 'a.test', 'ok', 3, 3), r(1, 'b.test', 'ok', 4, 4), r(1, 'c.test', 'nxdomain', 2, 2), { ...r(1, 'z.test', 'ok', 9, 9), set: 'control' }]);
  assert.deepEqual(s, { names: 3, rounds: 2, byStatus: { ok: 2, nxdomain: 1 }, meanHops: 3.5, queries: 13 });
});
