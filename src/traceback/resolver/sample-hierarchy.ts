/**
 * A small fake DNS hierarchy on documentation addresses, shared by the tests and the demo:
 * the root, the TLDs "test" and "example", and a few second-level zones with the cases the
 * study meets (plain A sets, a CNAME into another TLD, NXDOMAIN, NODATA).
 */
import type { FakeHierarchySpec, FakeZoneSpec } from './fake-spec.js';

export const SAMPLE_ZONES: readonly FakeZoneSpec[] = [
  {
    zone: '.',
    servers: [
      { name: 'a.root-servers.test', ip: '127.0.0.2' },
      { name: 'b.root-servers.test', ip: '127.0.0.3' },
    ],
  },
  { zone: 'test', servers: [{ name: 'ns1.nic.test', ip: '127.0.0.10' }] },
  { zone: 'example', servers: [{ name: 'ns.nic.example', ip: '127.0.0.11' }] },
  {
    zone: 'c2.test',
    servers: [{ name: 'ns1.c2.test', ip: '127.0.0.20' }],
    records: [
      { name: 'www.c2.test', type: 'A', value: '192.0.2.10' },
      { name: 'www.c2.test', type: 'A', value: '192.0.2.11' },
      { name: 'irc.c2.test', type: 'A', value: '192.0.2.12' },
      { name: 'alias.c2.test', type: 'CNAME', value: 'www.other.example' },
      { name: 'txt-only.c2.test', type: 'TXT', value: 'no address here' },
    ],
  },
  {
    zone: 'other.example',
    servers: [{ name: 'ns1.other.example', ip: '127.0.0.21' }],
    records: [{ name: 'www.other.example', type: 'A', value: '198.51.100.7' }],
  },
];

/** The sample hierarchy plus extra zones; zones with the same name as a sample zone replace it. */
export function sampleHierarchySpec(extra: readonly FakeZoneSpec[] = [], port?: number): FakeHierarchySpec {
  const names = new Set(extra.map((z) => z.zone));
  return { zones: [...SAMPLE_ZONES.filter((z) => !names.has(z.zone)), ...extra], ...(port !== undefined ? { port } : {}) };
}
