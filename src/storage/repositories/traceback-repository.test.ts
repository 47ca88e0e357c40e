import assert from 'node:assert/strict';
import { dialectTest } from '../../testing/databases.js';
import { addStudyNames, addStudyRejects, getStudy, getStudyNames, getStudyRejects, saveStudy } from './traceback-studies.js';
import { getResolutions, resolvedNames, saveResolutions, type ResolutionRecord } from './traceback-resolutions.js';
import { getStudyIps, saveStudyIps, setIrcVerdict, type StudyIpRecord } from './traceback-ips.js';

const T = '2024-05-01T00:00:00.000Z';

dialectTest('traceback study params merge and names are stored once', async (_t, storage) => {
  await saveStudy(storage, 's1', { port: 5353, lists: ['a.txt'] }, T);
  const s = await saveStudy(storage, 's1', { rounds: 2 }, '2024-05-02T00:00:00.000Z');
  assert.deepEqual(s.params, { port: 5353, lists: ['a.txt'], rounds: 2 });
  assert.equal(s.createdAt, T);
  assert.equal((await getStudy(storage, 'nope')), null);
  const name = { set: 'cc' as const, name: 'www.c2.test', kind: 'domain' as const, source: 'a.txt', snapshotDate: '2024-04-30', category: 'botnet_cc', firstSeen: null, lastSeen: null, listedIp: null };
  assert.equal(await addStudyNames(storage, 's1', [name, { ...name, name: '192.0.2.1', kind: 'ip' }]), 2);
  assert.equal(await addStudyNames(storage, 's1', [name, { ...name, set: 'control' }]), 1);
  const names = await getStudyNames(storage, 's1');
  assert.deepEqual(names.map((n) => `${n.set}:${n.name}:${n.kind}`), ['cc:192.0.2.1:ip', 'cc:www.c2.test:domain', 'control:www.c2.test:domain']);
  assert.equal((await getStudyNames(storage, 's1', 'control')).length, 1);
  await addStudyRejects(storage, 's1', [{ source: 'a.txt', line: 3, reason: 'bad', raw: '\u0000??' }]);
  await addStudyRejects(storage, 's1', [{ source: 'a.txt', line: 3, reason: 'bad', raw: '\u0000??' }]);
  assert.deepEqual(await getStudyRejects(storage, 's1'), [{ source: 'a.txt', line: 3, reason: 'bad', raw: '\\x00??' }]);
});

dialectTest('traceback resolutions round-trip and tell which names a round has', async (_t, storage) => {
  const r: ResolutionRecord = {
    round: 1,
    set: 'cc',
    name: 'www.c2.test',
    status: 'ok',
    authServerName: 'ns1.c2.test',
    authServerIp: '127.0.0.20',
    firstAddress: '192.0.2.10',
    addresses: ['192.0.2.10', '192.0.2.11'],
    cnameChain: [],
    delegationPath: [{ zone: '.', server: { name: 'a.root-servers.test', ip: '127.0.0.2' } }],
    hops: 3,
    error: null,
    queries: 3,
    resolvedAt: T,
  };
  await saveResolutions(storage, 's1', [r, { ...r, round: 2, addresses: ['192.0.2.12'] }]);
  await saveResolutions(storage, 's1', [{ ...r, status: 'servfail' }]); // already stored: kept as first written
  const all = await getResolutions(storage, 's1');
  assert.equal(all.length, 2);
  assert.deepEqual(all[0], r);
  assert.deepEqual([...(await resolvedNames(storage, 's1', 2))], ['cc\u0000www.c2.test']);
  assert.equal((await resolvedNames(storage, 's1', 3)).size, 0);
});

dialectTest('traceback study IPs are replaced on re-classification and keep IRC verdicts', async (_t, storage) => {
  const ip: StudyIpRecord = {
    ip: '198.51.100.7',
    role: 'cc',
    names: ['www.c2.test'],
    country: 'ZZ',
    asn: 4200000000,
    ptr: 'dyn-7.pool.example',
    forwardOk: false,
    s25rRules: [0, 1],
    endUser: true,
    blocklists: [{ feed: 'drop', snapshotDate: '2024-04-01', by: 'cidr', value: '198.51.100.0/24' }],
    sinkhole: null,
    ircVerdict: null,
    ircDetail: null,
    lifetimeDays: 3.5,
    lifetimeCensored: false,
    classification: 'end-user',
    classifiedAt: T,
  };
  await saveStudyIps(storage, 's1', [ip, { ...ip, role: 'dns', forwardOk: null, lifetimeCensored: null, lifetimeDays: null }]);
  await saveStudyIps(storage, 's1', [{ ...ip, endUser: false, classification: 'unmanaged' }]);
  await setIrcVerdict(storage, 's1', '198.51.100.7', 'open', '001');
  const rows = await getStudyIps(storage, 's1');
  assert.equal(rows.length, 2);
  const cc = rows.find((r) => r.role === 'cc');
  assert.deepEqual(cc, { ...ip, endUser: false, classification: 'unmanaged', ircVerdict: 'open', ircDetail: '001' });
  const dns = await getStudyIps(storage, 's1', 'dns');
  assert.equal(dns[0]?.forwardOk, null);
  assert.equal(dns[0]?.ircVerdict, 'open');
});
