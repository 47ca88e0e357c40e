import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import type { Storage } from '../../storage/schema.js';
import * as workflow from '../../workflow/index.js';
import { event, insertEvents } from '../../workflow/test-support.js';

export const CENTER_PUBLIC_URL = 'https://center.example';
const SESSION_SECRET = 'real-center-test-secret-0123456789-abcdefghij';

/** Who sits behind each seeded source (see ../fixtures/subscribers.csv). */
export type Sighting = 'hanako' | 'john' | 'cgnMarch' | 'cgnJuly' | 'unknown' | 'postalOnly';

export interface RealCenter {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Example Net's API token. */
  readonly token: string;
  /** Another ISP's token and one of its tracking IDs, for isolation checks. */
  readonly otherToken: string;
  readonly otherTrackingId: string;
  /** The tracking ID of each seeded incident of Example Net. */
  readonly ids: Readonly<Record<Sighting, string>>;
  close(): Promise<void>;
}

const times = (n: number): { time: string; port: number }[] =>
  Array.from({ length: n }, (_, i) => ({ time: `2024-06-2${i % 9}T0${i % 10}:00:00.000Z`, port: 5000 + i }));

/**
 * The real center on real storage: two ISPs, events turned into incidents and a weekly request by
 * the workflow services, and the Fastify app listening on 127.0.0.1 and a free port.
 */
export async function startRealCenter(storage: Storage): Promise<RealCenter> {
  await workflow.createIsp(storage, { id: 'example-net', name: 'Example Net', asns: [64500], prefixes: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] }, 'setup');
  await workflow.createIsp(storage, { id: 'other-net', name: 'Other Net', asns: [64501], prefixes: ['2001:db8::/32'] }, 'setup');
  const A = 'Example Net';
  const sha = (c: string): string => c.repeat(64);
  const seeds: [Sighting, string, { time: string; port: number }[]][] = [
    ['hanako', '192.0.2.10', [{ time: '2024-06-20T10:00:01.000Z', port: 40001 }, { time: '2024-06-21T11:00:00.000Z', port: 40002 }]],
    ['john', '192.0.2.20', times(25)],
    // One source, two episodes months apart: a CGN port handed to another subscriber in between.
    ['cgnMarch', '198.51.100.7', [{ time: '2024-03-10T00:00:00.000Z', port: 2050 }]],
    ['cgnJuly', '198.51.100.7', [{ time: '2024-06-20T00:00:00.000Z', port: 2050 }]],
    ['unknown', '203.0.113.99', [{ time: '2024-06-20T00:00:00.000Z', port: 1 }]],
    ['postalOnly', '192.0.2.30', [{ time: '2024-06-20T00:00:00.000Z', port: 9 }]],
  ];
  await insertEvents(storage, [
    ...seeds.flatMap(([, ip, list]) => list.map((o) => event(o.time, ip, A, { src_port: o.port, sample_sha256: sha('a') }))),
    event('2024-06-20T00:00:00.000Z', '2001:db8::1', 'Other Net', { src_port: 3333 }),
  ]);
  const now = new Date('2024-07-01T00:00:00.000Z');
  await workflow.buildIncidents(storage, { gapDays: 7, now });
  const built = await workflow.buildWeeklyRequests(storage, { now, publicUrl: CENTER_PUBLIC_URL });
  if (built.length !== 2) throw new Error(`expected one request per ISP, got ${built.length}`);
  const mine = (await workflow.listIncidents(storage, { ispId: 'example-net' })).incidents;
  const find = (name: Sighting): string => {
    const [, ip, list] = seeds.find(([n]) => n === name) as (typeof seeds)[number];
    const inc = mine.find((i) => i.srcIp === ip && i.firstSeen <= (list[0] as { time: string }).time && i.lastSeen >= (list[0] as { time: string }).time);
    if (inc === undefined) throw new Error(`no incident for ${name}`);
    return inc.trackingId;
  };
  const ids = Object.fromEntries(seeds.map(([n]) => [n, find(n)])) as Record<Sighting, string>;
  const other = (await workflow.listIncidents(storage, { ispId: 'other-net' })).incidents[0];
  if (other === undefined) throw new Error('no incident for the other ISP');
  const token = (await workflow.issueIspToken(storage, 'example-net', 'setup')).token;
  const otherToken = (await workflow.issueIspToken(storage, 'other-net', 'setup')).token;

  const app = await buildApp({ storage, services: workflow, config: { publicUrl: CENTER_PUBLIC_URL, sessionSecret: SESSION_SECRET } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, token, otherToken, otherTrackingId: other.trackingId, ids, close: () => app.close() };
}
