/**
 * The hierarchy the resolver benchmark resolves: a root, two TLDs and 100 second-level zones of
 * 100 names each (10,000 names), every server on its own 127.0.4.x address. Apex NS records are
 * included so that BIND's priming query for the root gets an answer.
 */
import type { FakeHierarchySpec, FakeRecord, FakeZoneSpec } from '../src/traceback/resolver/fake-spec.js';

export const BENCH_NAMES = 10_000;
const ZONES = 100;
const PER_ZONE = BENCH_NAMES / ZONES;
/**
 * Where BIND listens; the fake servers use 127.0.4.1 … 127.0.4.104. named only binds addresses
 * configured on an interface, and lo carries just 127.0.0.1 of 127.0.0.0/8.
 */
export const NAMED_IP = '127.0.0.1';
export const SPOOF_IP = '127.0.4.251';

const DOC = ['192.0.2', '198.51.100', '203.0.113'] as const;

export function benchZoneName(i: number): string {
  return `zone${i}.${i % 2 === 0 ? 'test' : 'example'}`;
}

export function benchNames(): string[] {
  const out: string[] = [];
  // Interleaved across zones, as a real list would be, not zone by zone.
  for (let j = 0; j < PER_ZONE; j++) for (let i = 0; i < ZONES; i++) out.push(`host${j}.${benchZoneName(i)}`);
  return out;
}

export function benchSpec(port: number): FakeHierarchySpec {
  const apex = (zone: string, servers: { name: string }[]): FakeRecord[] => servers.map((s) => ({ name: zone, type: 'NS', value: s.name }));
  const root = [
    { name: 'a.root-servers.test', ip: '127.0.4.1' },
    { name: 'b.root-servers.test', ip: '127.0.4.2' },
  ];
  const test = [{ name: 'ns.nic.test', ip: '127.0.4.3' }];
  const example = [{ name: 'ns.nic.example', ip: '127.0.4.4' }];
  const zones: FakeZoneSpec[] = [
    { zone: '.', servers: root, records: apex('.', root) },
    { zone: 'test', servers: test, records: apex('test', test) },
    { zone: 'example', servers: example, records: apex('example', example) },
  ];
  for (let i = 0; i < ZONES; i++) {
    const zone = benchZoneName(i);
    const servers = [{ name: `ns1.${zone}`, ip: `127.0.4.${5 + i}` }];
    const records: FakeRecord[] = apex(zone, servers);
    for (let j = 0; j < PER_ZONE; j++) records.push({ name: `host${j}.${zone}`, type: 'A', value: `${DOC[(i + j) % 3]}.${1 + ((i * 7 + j) % 254)}` });
    zones.push({ zone, servers, records });
  }
  return { zones, port, spoofIp: SPOOF_IP, keepLog: false };
}
