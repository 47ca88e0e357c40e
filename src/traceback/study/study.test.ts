/**
 * The whole study on a small synthetic world served on loopback: a fake DNS hierarchy (C&C names,
 * a fast-flux name, a sinkhole, a control name, PTR zones), fake IRC servers, a blocklist, dated
 * snapshots and a hostile list. Runs on SQLite and PostgreSQL.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialectTest } from '../../testing/databases.js';
import { sampleHierarchySpec, startFakeHierarchy, type FakeHierarchy } from '../resolver/index.js';
import { startFakeIrcServer, type FakeIrcServer } from '../irc-probe/index.js';
import { getStudyIps } from '../../storage/repositories/traceback-ips.js';
import { getResolutions } from '../../storage/repositories/traceback-resolutions.js';
import { getStudyNames, getStudyRejects } from '../../storage/repositories/traceback-studies.js';
import { classifyStudy, loadStudyReport, probeStudy, resolveStudy, runStudy, type StudyParams } from './index.js';

let dns: FakeHierarchy;
let ircOpen: FakeIrcServer;
let ircPass: FakeIrcServer;
let dir: string;
let params: StudyParams;

before(async () => {
  dns = await startFakeHierarchy(
    sampleHierarchySpec([
      {
        zone: 'c2.test',
        servers: [{ name: 'ns1.c2.test', ip: '127.0.0.20' }],
        records: [
          { name: 'a.c2.test', type: 'A', value: '192.0.2.10' },
          { name: 'b.c2.test', type: 'A', value: '192.0.2.20' },
          { name: 'c.c2.test', type: 'CNAME', value: 'mail.hosting.test' },
          { name: 'sink.c2.test', type: 'A', value: '203.0.113.66' },
        ],
      },
      {
        zone: 'hosting.test',
        servers: [{ name: 'ns.hosting.test', ip: '127.0.0.22' }],
        records: [
          { name: 'host10.hosting.test', type: 'A', value: '192.0.2.10' },
          { name: 'mail.hosting.test', type: 'A', value: '192.0.2.30' },
        ],
      },
      { zone: 'flux.test', servers: [{ name: 'ns.flux.test', ip: '127.0.0.23', behaviour: { rotateA: 1 } }], records: [{ name: 'www.flux.test', type: 'A', value: '192.0.2.50' }, { name: 'www.flux.test', type: 'A', value: '192.0.2.51' }] },
      {
        zone: '2.0.192.in-addr.arpa',
        servers: [{ name: 'rev.hosting.test', ip: '127.0.0.30' }],
        records: [
          { name: '10.2.0.192.in-addr.arpa', type: 'PTR', value: 'host10.hosting.test' },
          { name: '20.2.0.192.in-addr.arpa', type: 'PTR', value: 'dyn-192-0-2-20.pool.test' },
          { name: '30.2.0.192.in-addr.arpa', type: 'PTR', value: 'mail.hosting.test' },
        ],
      },
    ]),
  );
  const welcome = (c: { onLine(fn: (l: string) => void): void; send(s: string): void }): void => c.onLine((l) => l.startsWith('USER') && c.send(':irc.test 001 x :Welcome\r\n'));
  ircOpen = await startFakeIrcServer(welcome, { host: '127.0.0.1' });
  ircPass = await startFakeIrcServer((c) => c.onLine((l) => l.startsWith('USER') && c.send(':irc.test 464 x :Password incorrect\r\n')), { host: '127.0.0.1' });
  dir = mkdtempSync(join(tmpdir(), 'cc-study-'));
  const w = (name: string, content: string | Buffer): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const hints = dns.rootHints.map((h) => `.\t3600000\tNS\t${h.name}.\n${h.name}.\t3600000\tA\t${h.ip}`).join('\n');
  params = {
    rootHints: w('root.hints', `${hints}\n`),
    port: dns.port,
    timeoutMs: 500,
    lists: [
      // Hostile lines: a bad name, binary bytes, an absurd field; the good ones still count.
      { path: w('cc.txt', Buffer.concat([Buffer.from('# C&C names\na.c2.test\nb.c2.test\nc.c2.test\nsink.c2.test\nwww.flux.test\nmissing.c2.test\nnot a name!!\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${'x'.repeat(300)}..test\na.c2.test\n`)])), format: 'plain', snapshotDate: '2024-05-04' },
      { path: join(dir, 'no-such-file.txt'), format: 'plain' },
    ],
    control: [{ path: w('control.txt', 'www.other.example\n'), format: 'plain' }],
    dnsAddressMap: w('dns.map', '127.0.0.20 198.51.100.53 # ns1.c2.test\nnonsense\n'),
    ptrServers: [`127.0.0.30:${dns.port}`],
    blocklists: [{ path: w('drop.txt', '192.0.2.16/28\n198.51.100.128/25\n'), format: 'plain', snapshotDate: '2024-04-01' }],
    // Nine months earlier the /24 around the first entry was listed, the second entry was not: 1 of 2 persists.
    blocklistHistory: [{ path: w('drop-2023.txt', '192.0.2.0/24\n'), format: 'plain', snapshotDate: '2023-07-01', feed: 'drop.txt' }],
    sinkholes: w('sinkholes.txt', '203.0.113.66 research sinkhole\n'),
    snapshots: [
      { path: w('snap-0501.txt', 'a.c2.test\nc.c2.test\n'), format: 'plain', snapshotDate: '2024-05-01' },
      { path: w('snap-0504.txt', 'a.c2.test\n'), format: 'plain', snapshotDate: '2024-05-04' },
    ],
    ircMap: w('irc.map', `192.0.2.10 127.0.0.1:${ircOpen.port}\n192.0.2.30 127.0.0.1:${ircPass.port}\n192.0.2.20 127.0.0.1:1\n192.0.2.50 127.0.0.1:1\n192.0.2.51 127.0.0.1:1\n`),
    ircTimeoutMs: 2000,
  };
});

after(async () => {
  await dns.stop();
  await ircOpen.stop();
  await ircPass.stop();
  rmSync(dir, { recursive: true, force: true });
});

const aQueries = (): number => dns.log.filter((q) => q.qtype === 'A' && /\.(c2|flux)\.test$/.test(q.qname)).length;

dialectTest('traceback study: resolve resumes without new queries, rounds find fast flux', async (_t, storage) => {
  const first = await resolveStudy(storage, 's', { ...params, rounds: 2, intervalMs: 0 });
  assert.equal(first.lists.namesTotal, 7); // 6 C&C names + 1 control
  assert.ok(first.lists.rejects >= 4, `rejects ${first.lists.rejects}`); // bad name, bad bytes, long label, missing file
  assert.equal(first.resolved, 14);
  assert.equal(first.byStatus['nxdomain'], 2);
  assert.deepEqual(first.fastFlux, ['www.flux.test']);
  const before = aQueries();
  assert.ok(before > 0);
  const again = await resolveStudy(storage, 's', {});
  assert.equal(again.resolved, 0);
  assert.equal(again.skipped, 14);
  assert.equal(aQueries(), before, 'a resumed study sends no query for names already resolved');
  const rejects = await getStudyRejects(storage, 's');
  assert.ok(rejects.some((r) => r.line === 8 && /cc\.txt$/.test(r.source)), JSON.stringify(rejects));
  assert.ok(rejects.some((r) => /no-such-file/.test(r.source)));
  assert.equal((await getStudyNames(storage, 's', 'cc')).length, 6);
  const c = (await getResolutions(storage, 's')).find((r) => r.name === 'c.c2.test' && r.round === 1);
  assert.deepEqual(c?.cnameChain, ['mail.hosting.test']);
  assert.equal(c?.firstAddress, '192.0.2.30');
});

dialectTest('traceback study: classify, probe and report on the small world', async (_t, storage) => {
  await assert.rejects(classifyStudy(storage, 'nope', params), /no study named/);
  const run = await runStudy(storage, 's', { ...params, rounds: 2, intervalMs: 0 }, { active: false, outDir: join(dir, 'out') });
  const ips = await getStudyIps(storage, 's');
  const get = (ip: string, role = 'cc') => ips.find((r) => r.ip === ip && r.role === role);
  // a: hosting name that resolves back: no rule fires, not listed → professional; open IRC; 3 days, still listed.
  assert.equal(get('192.0.2.10')?.ptr, 'host10.hosting.test');
  assert.equal(get('192.0.2.10')?.forwardOk, true);
  assert.deepEqual(get('192.0.2.10')?.s25rRules, []);
  assert.equal(get('192.0.2.10')?.classification, 'professional');
  assert.equal(get('192.0.2.10')?.ircVerdict, 'open');
  assert.equal(get('192.0.2.10')?.lifetimeDays, 3);
  assert.equal(get('192.0.2.10')?.lifetimeCensored, true);
  // b: dynamic name with the address in it; its forward name does not exist → rule 0 and S25R rules → end user (also listed).
  assert.equal(get('192.0.2.20')?.endUser, true);
  assert.ok(get('192.0.2.20')?.s25rRules.includes(0));
  assert.equal(get('192.0.2.20')?.classification, 'end-user');
  // c: reached through a CNAME; listed by the /28 → unmanaged; password IRC; listed for 0 days then dropped.
  assert.equal(get('192.0.2.30')?.classification, 'unmanaged');
  assert.deepEqual(get('192.0.2.30')?.blocklists.map((b) => [b.feed, b.by, b.snapshotDate]), [['drop.txt', 'cidr', '2024-04-01']]);
  assert.equal(get('192.0.2.30')?.ircVerdict, 'password-required');
  assert.equal(get('192.0.2.30')?.lifetimeDays, 0);
  // The sinkhole is flagged and never probed.
  assert.equal(get('203.0.113.66')?.classification, 'sinkhole');
  assert.equal(get('203.0.113.66')?.ircVerdict, null);
  // The C&C name server stands for its mapped data address; no PTR there → rule 0.
  assert.deepEqual(get('198.51.100.53', 'dns')?.s25rRules, [0]);
  assert.equal(get('127.0.0.20', 'dns'), undefined);
  assert.ok(get('198.51.100.7', 'control-cc'));
  assert.ok(run.probe !== null && run.probe.rejects === 0);

  const rep = run.report;
  assert.equal(rep.table2.sinkholes, 1);
  // C&C IPs without the sinkhole: .10, .20, .30, .50, .51 (flux, no PTR → end user).
  assert.equal(rep.combined.n, 5);
  assert.equal(rep.table1.cc.raw.count, 3);
  assert.equal(rep.combined.unmanagedLowerBound.count, 1);
  assert.equal(rep.combined.professional.classified.count, 1);
  assert.equal(rep.table3.open.count, 1);
  assert.deepEqual(rep.fastFlux, ['www.flux.test']);
  assert.deepEqual(rep.persistence.map((p) => [p.feed, p.alsoInOlder, p.newerEntries, p.ratio.share]), [['drop.txt', 1, 2, 0.5]]);
  const html = readFileSync(run.files?.html ?? '', 'utf8');
  assert.match(html, /Table 4/);
  assert.ok(JSON.parse(readFileSync(run.files?.json ?? '', 'utf8')).table1);

  // Probing again only does the ones without a verdict; a report can be made again from storage.
  const probe = await probeStudy(storage, 's', {}, { active: false });
  assert.equal(probe.probed, 0);
  assert.equal((await loadStudyReport(storage, 's')).combined.n, 5);
});
