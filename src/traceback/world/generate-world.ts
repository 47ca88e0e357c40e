/**
 * Builds the synthetic study world from a seed: the DNS hierarchy, the hosts with their
 * administrators, PTR names, IRC behaviour, lifetimes and blocklist membership. Pure: nothing
 * listens and nothing is written here (see start-study-world.ts).
 */
import type { FakeRecord, FakeServerSpec, FakeZoneSpec } from '../resolver/fake-spec.js';
import { BULLETPROOF_PREFIX, compareIp, countryOf, createAddressPool, inBulletproof } from './address-plan.js';
import { computeShares } from './compute-shares.js';
import { createRng } from './prng.js';
import { dynamicName, hostingIpName, hostingName, PTR_FORWARD_ZONES, quietHomeName } from './ptr-names.js';
import { renderFiles } from './render-files.js';
import type { AdminType, HostRole, IrcTruth, NameTruth, PtrKind, World, WorldHost, WorldOptions } from './types.js';

type MutableHost = { -readonly [K in keyof WorldHost]: WorldHost[K] } & { blocklistSet: Set<string> };

interface Server {
  readonly name: string;
  readonly listenIp: string;
  readonly dataIp: string;
  readonly behaviour?: FakeServerSpec['behaviour'];
}

interface Zone {
  readonly zone: string;
  readonly servers: Server[];
  readonly records: FakeRecord[];
  glue: boolean;
  lameFirst: boolean;
}

const CC_ADMIN: Record<AdminType, number> = { 'end-user': 0.3, unmanaged: 0.3, professional: 0.4 };
const DNS_ADMIN: Record<AdminType, number> = { 'end-user': 0.25, unmanaged: 0.3, professional: 0.45 };
const IRC_BY_ADMIN: Record<AdminType, Record<IrcTruth, number>> = {
  professional: { open: 0.7, 'password-required': 0.2, banned: 0.1, refused: 0 },
  unmanaged: { open: 0.25, 'password-required': 0.45, banned: 0.1, refused: 0.2 },
  'end-user': { open: 0.1, 'password-required': 0.2, banned: 0.1, refused: 0.6 },
};
const LABELS = ['www', 'cc', 'gate', 'panel', 'upd', 'api', 'cdn', 'irc', 'stat', 'load'] as const;
const ZONE_WORDS = ['botgate', 'cncpanel', 'update', 'statcount', 'cdnload', 'mirror', 'ircnet', 'dropzone'] as const;
const CONTROL_ZONES = ['shops.example', 'news.test', 'portal.example', 'blogs.test'] as const;

/** 127.0.1.1 … 127.0.1.250, then 127.0.3.x, …: the DNS listeners (127.0.2.x is for IRC). */
function listenIp(k: number): string {
  const block = Math.floor(k / 250);
  const third = block === 0 ? 1 : block + 2;
  if (third > 250) throw new RangeError('too many DNS listeners');
  return `127.0.${third}.${(k % 250) + 1}`;
}

function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

export function generateWorld(opts: WorldOptions): World {
  const nNames = opts.names ?? 300;
  const nControl = opts.controlNames ?? 120;
  const missRate = opts.endUserMissRate ?? 0.04;
  const persistenceTarget = opts.persistence ?? 0.34;
  if (!Number.isInteger(nNames) || nNames < 20 || nNames > 500) throw new RangeError(`names must be an integer from 20 to 500, got ${nNames}`);
  if (!Number.isInteger(nControl) || nControl < 10 || nControl > 200) throw new RangeError(`controlNames must be an integer from 10 to 200, got ${nControl}`);
  if (!(persistenceTarget >= 0 && persistenceTarget <= 1)) throw new RangeError(`persistence must be in [0, 1], got ${persistenceTarget}`);
  const rng = createRng(opts.seed);
  const pool = createAddressPool(rng);
  const hosts = new Map<string, MutableHost>();
  let listeners = 0;

  const newHost = (role: HostRole, admin: AdminType, bulletproof = false): MutableHost => {
    const ip = bulletproof ? pool.takeBulletproof() : pool.take();
    const h: MutableHost = {
      ip,
      role,
      admin,
      country: countryOf(ip),
      ptr: null,
      ptrKind: 'none',
      s25rFires: true,
      blocklists: [],
      blocklistSet: new Set(),
      sinkhole: false,
      irc: null,
      lifetimeDays: null,
      listenIp: null,
      nsName: null,
    };
    hosts.set(ip, h);
    return h;
  };
  const newServer = (name: string, role: HostRole, admin: AdminType, behaviour?: FakeServerSpec['behaviour']): Server => {
    const h = newHost(role, admin, admin === 'unmanaged' && rng.chance(0.5));
    const s: Server = { name, listenIp: listenIp(listeners++), dataIp: h.ip, ...(behaviour !== undefined ? { behaviour } : {}) };
    h.listenIp = s.listenIp;
    h.nsName = name;
    return s;
  };

  const zones = new Map<string, Zone>();
  const addZone = (zone: string, servers: Server[], glue = true): Zone => {
    const z: Zone = { zone, servers, records: [], glue, lameFirst: false };
    zones.set(zone, z);
    return z;
  };

  // Infrastructure: root, TLDs, reverse zone, forward zones of the PTR names, control zones.
  addZone('.', [newServer('a.root-servers.test', 'infra', 'professional'), newServer('b.root-servers.test', 'infra', 'professional')]);
  const tldTest = addZone('test', [newServer('ns.nic.test', 'infra', 'professional')]);
  const tldExample = addZone('example', [newServer('ns.nic.example', 'infra', 'professional')]);
  const reverse = addZone('in-addr.arpa', [newServer('rev.nic.test', 'infra', 'professional')]);
  const infra = newServer('ns1.isp-dns.test', 'infra', 'professional');
  for (const z of PTR_FORWARD_ZONES) addZone(z, [infra], false);
  const benign = newServer('ns1.benign-dns.example', 'infra', 'professional');
  for (const z of CONTROL_ZONES) addZone(z, [benign], false);

  // C&C zones: one fast-flux zone, one wholly lame zone, the rest normal.
  const nZones = Math.max(6, Math.round(nNames / 5));
  const zoneNames: string[] = [];
  for (let i = 0; i < nZones; i++) zoneNames.push(`${ZONE_WORDS[i % ZONE_WORDS.length]}${i}.${i % 2 === 0 ? 'test' : 'example'}`);
  const [fluxZoneName, lameZoneName, ...normalZoneNames] = zoneNames as [string, string, ...string[]];
  const fluxZone = addZone(fluxZoneName, [newServer(`ns1.${fluxZoneName}`, 'dns', 'unmanaged', { rotateA: 1 })]);
  const lameZone = addZone(lameZoneName, [newServer(`ns1.${lameZoneName}`, 'dns', rng.weighted(DNS_ADMIN), { lame: true })]);
  const nServers = Math.max(3, Math.round(normalZoneNames.length * 0.7));
  const servers: Server[] = [];
  const normalZones: Zone[] = normalZoneNames.map((zone, i) => {
    if (i < nServers) {
      const s = newServer(`ns1.${zone}`, 'dns', rng.weighted(DNS_ADMIN));
      servers.push(s);
      const z = addZone(zone, [s]);
      if (rng.chance(0.12)) {
        // A lame server listed first: the resolver must skip it and ask the second.
        const lame = newServer(`ns0.${zone}`, 'dns', 'professional', { lame: true });
        z.servers.unshift(lame);
        z.lameFirst = true;
      }
      return z;
    }
    // Served by another zone's name server: no glue in the parent, the resolver must look it up.
    return addZone(zone, [rng.pick(servers)], false);
  });
  const servingServer = (z: Zone): Server => z.servers[z.lameFirst ? 1 : 0] as Server;

  // C&C names.
  const names: NameTruth[] = [];
  const ccHosts: MutableHost[] = [];
  const labelFor = (i: number, zone: string): string => `${LABELS[i % LABELS.length]}${i}.${zone}`;
  const nameTruth = (name: string, kind: NameTruth['kind'], z: Zone | null, addresses: string[], extra: Partial<NameTruth> = {}): NameTruth => {
    const s = z === null ? null : servingServer(z);
    return {
      name,
      kind,
      status: 'ok',
      firstAddress: addresses[0] ?? null,
      addresses,
      cnameChain: [],
      zone: z?.zone ?? null,
      authServer: s === null ? null : { name: s.name, ip: s.dataIp, listenIp: s.listenIp },
      glueless: z !== null && !z.glue,
      lameFirst: z?.lameFirst ?? false,
      ...extra,
    };
  };
  const newCcHost = (admin: AdminType): MutableHost => {
    const h = newHost('cc', admin, admin === 'unmanaged' && rng.chance(0.6));
    ccHosts.push(h);
    return h;
  };

  const nFlux = Math.max(3, Math.round(nNames * 0.04));
  const nLame = 3;
  const nSinkhole = 3;
  const nNx = Math.max(4, Math.round(nNames * 0.05));
  const nCname = Math.max(4, Math.round(nNames * 0.08));
  const nPlain = nNames - nFlux - nLame - nSinkhole - nNx - nCname;
  let counter = 0;
  const plainNames: NameTruth[] = [];
  for (let i = 0; i < nPlain; i++) {
    const z = normalZones[i % normalZones.length] as Zone;
    const name = labelFor(counter++, z.zone);
    const reuse = ccHosts.length > 0 && rng.chance(0.15);
    const first = reuse ? rng.pick(ccHosts) : newCcHost(rng.weighted(CC_ADMIN));
    const addresses = [first.ip];
    if (rng.chance(0.1)) addresses.push(newCcHost(first.admin).ip);
    for (const ip of addresses) z.records.push({ name, type: 'A', value: ip });
    plainNames.push(nameTruth(name, 'a', z, addresses));
  }
  names.push(...plainNames);
  for (let i = 0; i < nFlux; i++) {
    const name = labelFor(counter++, fluxZone.zone);
    // Fast flux runs on infected home machines; the server gives one address per query, rotating.
    const addresses = Array.from({ length: 5 }, () => newCcHost('end-user').ip);
    for (const ip of addresses) fluxZone.records.push({ name, type: 'A', value: ip, ttl: 60 });
    names.push(nameTruth(name, 'flux', fluxZone, addresses));
  }
  for (let i = 0; i < nLame; i++) {
    const name = labelFor(counter++, lameZone.zone);
    lameZone.records.push({ name, type: 'A', value: newCcHost(rng.weighted(CC_ADMIN)).ip });
    names.push(nameTruth(name, 'lame', lameZone, [], { status: 'servfail', authServer: null, firstAddress: null }));
  }
  const sinkhole = newHost('cc', 'professional');
  sinkhole.sinkhole = true;
  ccHosts.push(sinkhole);
  for (let i = 0; i < nSinkhole; i++) {
    const z = rng.pick(normalZones);
    const name = labelFor(counter++, z.zone);
    z.records.push({ name, type: 'A', value: sinkhole.ip });
    names.push(nameTruth(name, 'sinkhole', z, [sinkhole.ip]));
  }
  for (let i = 0; i < nCname; i++) {
    const target = rng.pick(plainNames);
    const z = rng.pick(normalZones.filter((x) => x.zone !== target.zone));
    const name = `alias${counter++}.${z.zone}`;
    z.records.push({ name, type: 'CNAME', value: target.name });
    const tz = zones.get(target.zone ?? '') ?? null;
    names.push(nameTruth(name, 'cname', tz, [...target.addresses], { cnameChain: [target.name] }));
  }
  for (let i = 0; i < nNx; i++) {
    if (i % 2 === 0) {
      const z = rng.pick(normalZones);
      names.push(nameTruth(`gone${counter++}.${z.zone}`, 'nxdomain', z, [], { status: 'nxdomain', firstAddress: null }));
    } else {
      const tld = i % 4 === 1 ? tldTest : tldExample;
      names.push(nameTruth(`cc${counter++}.expired${i}.${tld.zone}`, 'nxdomain', tld, [], { status: 'nxdomain', firstAddress: null }));
    }
  }

  // Control names: benign sites at professional hosters.
  const controlNames: NameTruth[] = [];
  const controlHosts: MutableHost[] = [];
  for (let i = 0; i < nControl; i++) {
    const z = zones.get(CONTROL_ZONES[i % CONTROL_ZONES.length] as string) as Zone;
    const name = `site${i}.${z.zone}`;
    const h = controlHosts.length > 0 && rng.chance(0.1) ? rng.pick(controlHosts) : newHost('control', 'professional');
    if (!controlHosts.includes(h)) controlHosts.push(h);
    z.records.push({ name, type: 'A', value: h.ip });
    controlNames.push(nameTruth(name, 'control', z, [h.ip]));
  }

  // Blocklists (current snapshots) and the older snapshot of the FireHOL list.
  const lists = { drop: 'spamhaus-drop', firehol: 'firehol-botcc', et: 'et-botcc', plain: 'plain-blocklist' } as const;
  const entries: Record<string, string[]> = { [lists.drop]: [], [lists.firehol]: [], [lists.et]: [], [lists.plain]: [] };
  const list = (name: string, h: MutableHost): void => {
    if (h.blocklistSet.has(name)) return;
    h.blocklistSet.add(name);
    entries[name]?.push(h.ip);
  };
  const listable = [...hosts.values()].filter((h) => h.role === 'cc' || h.role === 'dns');
  for (const h of listable) {
    if (h.sinkhole) {
      // Sinkholes get reported as C&C by everyone who sees bots connect to them.
      list(lists.firehol, h);
      list(lists.plain, h);
      continue;
    }
    if (h.admin === 'unmanaged' && !inBulletproof(h.ip)) {
      if (rng.chance(0.6)) list(lists.firehol, h);
      if (rng.chance(0.4)) list(lists.et, h);
      if (rng.chance(0.3)) list(lists.plain, h);
    } else if (h.admin === 'unmanaged') {
      // Inside the bulletproof block: DROP lists the whole block, others list some addresses.
      if (rng.chance(0.5)) list(lists.firehol, h);
      if (rng.chance(0.3)) list(lists.et, h);
    } else if (h.admin === 'end-user' && h.role === 'cc' && rng.chance(0.08)) {
      list(lists.plain, h);
    }
  }
  if ([...hosts.values()].some((h) => inBulletproof(h.ip))) {
    entries[lists.drop]?.push(BULLETPROOF_PREFIX);
    for (const h of hosts.values()) if (inBulletproof(h.ip)) h.blocklistSet.add(lists.drop);
  }
  const newer = [...(entries[lists.firehol] ?? [])];
  const kept = Math.round(persistenceTarget * newer.length);
  const older = [...rng.shuffle(newer).slice(0, kept)];
  for (let i = 0; i < newer.length - kept; i++) older.push(newHost('old-listing', 'unmanaged').ip);

  // PTR names, forward records, IRC behaviour, lifetimes.
  let ptrCounter = 0;
  const allIps = [...hosts.keys()];
  for (const h of hosts.values()) {
    let kind: PtrKind;
    if (h.sinkhole) kind = 'hosting';
    else if (h.admin === 'end-user') kind = rng.weighted<PtrKind>({ none: 0.08, unconfirmed: 0.04, 'quiet-home': missRate, dynamic: 0.88 - missRate });
    else if (h.admin === 'unmanaged') kind = rng.weighted<PtrKind>({ none: 0.12, 'hosting-ip': 0.1, unconfirmed: 0.03, hosting: 0.75 });
    else kind = rng.weighted<PtrKind>({ none: 0.03, 'hosting-ip': 0.1, unconfirmed: 0.02, hosting: 0.85 });
    const n = ptrCounter++;
    h.ptrKind = kind;
    h.s25rFires = kind !== 'hosting' && kind !== 'quiet-home';
    h.ptr =
      kind === 'none'
        ? null
        : kind === 'dynamic'
          ? dynamicName(rng, h.ip, n)
          : kind === 'hosting-ip'
            ? hostingIpName(rng, h.ip)
            : kind === 'quiet-home'
              ? quietHomeName(rng, n)
              : h.sinkhole
                ? `sinkhole${n}.hoster.example`
                : hostingName(rng, n);
    if (h.ptr === null) continue;
    reverse.records.push({ name: reverseName(h.ip), type: 'PTR', value: h.ptr });
    const fz = zones.get(PTR_FORWARD_ZONES.find((z) => h.ptr === z || (h.ptr as string).endsWith(`.${z}`)) ?? '');
    if (fz === undefined) throw new Error(`PTR name ${h.ptr} has no forward zone`);
    if (kind === 'unconfirmed') {
      // Half point elsewhere, half do not resolve at all.
      if (rng.chance(0.5)) fz.records.push({ name: h.ptr, type: 'A', value: rng.pick(allIps.filter((ip) => ip !== h.ip)) });
    } else {
      fz.records.push({ name: h.ptr, type: 'A', value: h.ip });
    }
  }
  for (const h of ccHosts) {
    h.irc = h.sinkhole ? 'refused' : rng.weighted(IRC_BY_ADMIN[h.admin]);
    h.lifetimeDays = h.sinkhole
      ? 365
      : h.admin === 'professional'
        ? rng.chance(0.8)
          ? rng.int(1, 6)
          : rng.int(7, 30)
        : h.admin === 'unmanaged'
          ? rng.int(30, 400)
          : rng.int(2, 90);
  }
  for (const h of hosts.values()) h.blocklists = [...h.blocklistSet].sort();

  const spec = {
    zones: [...zones.values()].map(
      (z): FakeZoneSpec => ({
        zone: z.zone,
        servers: z.servers.map((s) => ({ name: s.name, ip: s.listenIp, ...(s.behaviour !== undefined ? { behaviour: s.behaviour } : {}) })),
        records: z.records,
        glue: z.glue,
      }),
    ),
  };
  const dnsAddresses: Record<string, string> = {};
  for (const h of hosts.values()) if (h.listenIp !== null) dnsAddresses[h.listenIp] = h.ip;

  const frozenHosts: Record<string, WorldHost> = {};
  for (const [ip, h] of [...hosts].sort(([a], [b]) => compareIp(a, b))) {
    const { blocklistSet: _unused, ...rest } = h;
    frozenHosts[ip] = rest;
  }
  const ordered = rng.shuffle(names);
  const snapshotDate = opts.snapshotDate ?? '2025-10-15';
  const olderDate = shiftMonths(snapshotDate, -9);
  const truthBase = {
    ccNames: ordered,
    controlNames,
    hosts: frozenHosts,
    blocklistEntries: entries,
    persistence: {
      list: lists.firehol,
      olderDate,
      newerDate: snapshotDate,
      newerEntries: newer.length,
      alsoInOlder: kept,
      share: newer.length === 0 ? 0 : kept / newer.length,
    },
  };
  const truth = computeShares(truthBase);
  const files = renderFiles({ rng: createRng(opts.seed ^ 0x5eed), truth, lists, olderFirehol: older, snapshotDate, olderDate });
  return {
    seed: opts.seed,
    spec,
    dnsAddresses,
    ptrListenIp: reverse.servers[0]?.listenIp as string,
    ccNames: ordered.map((n) => n.name),
    controlNames: controlNames.map((n) => n.name),
    files,
    truth,
  };
}

/** YYYY-MM-DD moved by whole months (day clamped to 28 so no month rolls over). */
function shiftMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28)));
  return t.toISOString().slice(0, 10);
}
