/**
 * Turns a fake hierarchy spec into per-server zone data and answers queries from it, as an
 * authoritative server would: referrals put NS in authority and glue in additional,
 * answers set AA, missing names get NXDOMAIN and missing types NODATA, both with an SOA.
 */
import type { Answer } from 'dns-packet';
import type { FakeHierarchySpec, FakeRecord } from './fake-spec.js';
import { canonicalName, enclosingZones, isAtOrBelow, ROOT } from './names.js';

export interface Cut {
  readonly child: string;
  readonly ns: readonly string[];
  readonly glue: readonly FakeRecord[];
  readonly ttl: number;
}

export interface ZoneData {
  readonly zone: string;
  readonly ttl: number;
  readonly mname: string;
  /** Records by owner name. */
  readonly records: ReadonlyMap<string, readonly FakeRecord[]>;
  /** Owner names and the empty non-terminals above them, for NXDOMAIN versus NODATA. */
  readonly existing: ReadonlySet<string>;
  readonly cuts: readonly Cut[];
}

/** What a server would say, before any misbehaviour is applied. */
export interface FakeReply {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';
  readonly aa: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
}

/** Zone data per zone name, and the zones each server address serves. */
export function buildZones(spec: FakeHierarchySpec): { zones: Map<string, ZoneData>; serves: Map<string, string[]> } {
  const specs = spec.zones.map((z) => ({ ...z, zone: canonicalName(z.zone) }));
  const names = new Set(specs.map((z) => z.zone));
  const parentOf = (zone: string): string | null => enclosingZones(zone).find((z) => z !== zone && names.has(z)) ?? null;
  const homeOf = (name: string): string | null => enclosingZones(name).find((z) => names.has(z)) ?? null;

  const records = new Map<string, FakeRecord[]>(specs.map((z) => [z.zone, []]));
  const add = (zone: string, r: FakeRecord): void => {
    const list = records.get(zone);
    if (list === undefined) return;
    if (!list.some((x) => x.name === r.name && x.type === r.type && x.value === r.value)) list.push(r);
  };
  for (const z of specs) {
    for (const r of z.records ?? []) add(z.zone, { ...r, name: canonicalName(r.name), ttl: r.ttl ?? z.ttl ?? 3600 });
    for (const s of z.servers) {
      const home = homeOf(canonicalName(s.name));
      if (home !== null) add(home, { name: canonicalName(s.name), type: s.ip.includes(':') ? 'AAAA' : 'A', value: s.ip, ttl: z.ttl ?? 3600 });
    }
  }

  const cuts = new Map<string, Cut[]>(specs.map((z) => [z.zone, []]));
  for (const z of specs) {
    const parent = parentOf(z.zone);
    if (parent === null) continue;
    const ns = [...new Set(z.servers.map((s) => canonicalName(s.name)))];
    const glue: FakeRecord[] = [];
    if (z.glue !== false) {
      for (const s of z.servers) {
        const n = canonicalName(s.name);
        if (isAtOrBelow(n, parent)) glue.push({ name: n, type: s.ip.includes(':') ? 'AAAA' : 'A', value: s.ip, ttl: z.ttl ?? 3600 });
      }
    }
    cuts.get(parent)?.push({ child: z.zone, ns, glue, ttl: z.ttl ?? 3600 });
  }

  const zones = new Map<string, ZoneData>();
  const serves = new Map<string, string[]>();
  for (const z of specs) {
    const byName = new Map<string, FakeRecord[]>();
    for (const r of records.get(z.zone) ?? []) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
    const existing = new Set<string>([z.zone]);
    for (const owner of byName.keys()) {
      for (const n of enclosingZones(owner)) {
        if (!isAtOrBelow(n, z.zone)) break;
        existing.add(n);
      }
    }
    zones.set(z.zone, {
      zone: z.zone,
      existing,
      ttl: z.ttl ?? 3600,
      mname: canonicalName(z.servers[0]?.name ?? `ns.${z.zone}`),
      records: byName,
      cuts: cuts.get(z.zone) ?? [],
    });
    if (z.external === true) continue;
    for (const s of z.servers) {
      const list = serves.get(s.ip) ?? [];
      if (!list.includes(z.zone)) list.push(z.zone);
      serves.set(s.ip, list);
    }
  }
  return { zones, serves };
}

function rr(r: FakeRecord): Answer {
  return { name: r.name, type: r.type, ttl: r.ttl ?? 3600, class: 'IN', data: r.value } as Answer;
}

function soa(z: ZoneData): Answer {
  return {
    name: z.zone,
    type: 'SOA',
    ttl: z.ttl,
    class: 'IN',
    data: { mname: z.mname, rname: `hostmaster.${z.zone === ROOT ? 'root.test' : z.zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
}

function referral(cut: Cut, owner: string): FakeReply {
  return {
    rcode: 'NOERROR',
    aa: false,
    answers: [],
    authorities: cut.ns.map((n) => ({ name: owner, type: 'NS', ttl: cut.ttl, class: 'IN', data: n }) as Answer),
    additionals: cut.glue.map(rr),
  };
}

export interface AnswerOptions {
  readonly referralLoop?: 'self' | 'up';
  /** Chooses which A records of a name to give, for fast flux. */
  readonly pickA?: (name: string, records: readonly FakeRecord[]) => readonly FakeRecord[];
}

/** Answers qname/qtype from the zones a server serves; REFUSED when it serves none above qname. */
export function answerQuery(zones: ReadonlyMap<string, ZoneData>, served: readonly string[], qname: string, qtype: string, o: AnswerOptions = {}): FakeReply {
  const name = canonicalName(qname);
  const zoneName = enclosingZones(name).find((z) => served.includes(z));
  const z = zoneName === undefined ? undefined : zones.get(zoneName);
  if (z === undefined) return { rcode: 'REFUSED', aa: false, answers: [], authorities: [], additionals: [] };

  if (o.referralLoop !== undefined) {
    const owner = o.referralLoop === 'self' || z.zone === ROOT ? z.zone : (enclosingZones(z.zone)[1] ?? ROOT);
    const self: Cut = { child: owner, ns: [z.mname], glue: [], ttl: z.ttl };
    return referral(self, owner);
  }

  const cut = z.cuts.find((c) => isAtOrBelow(name, c.child));
  if (cut !== undefined) return referral(cut, cut.child);

  const answers: Answer[] = [];
  let cur = name;
  for (let i = 0; i < 16; i++) {
    const here = z.records.get(cur) ?? [];
    const wanted = here.filter((r) => r.type === qtype);
    if (wanted.length > 0) {
      const chosen = qtype === 'A' && o.pickA !== undefined ? o.pickA(cur, wanted) : wanted;
      answers.push(...chosen.map(rr));
      return { rcode: 'NOERROR', aa: true, answers, authorities: [], additionals: [] };
    }
    const cname = here.find((r) => r.type === 'CNAME');
    if (cname === undefined || qtype === 'CNAME') break;
    answers.push(rr(cname));
    const next = canonicalName(cname.value);
    // Stop where this zone's authority ends; the resolver continues from there.
    if (!isAtOrBelow(next, z.zone) || z.cuts.some((c) => isAtOrBelow(next, c.child))) {
      return { rcode: 'NOERROR', aa: true, answers, authorities: [], additionals: [] };
    }
    cur = next;
  }
  const exists = z.existing.has(cur);
  return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', aa: true, answers, authorities: [soa(z)], additionals: [] };
}
