import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import type { Storage } from '../../storage/schema.js';
import * as workflow from '../../workflow/index.js';
import { event, insertEvents } from '../../workflow/test-support.js';
import { parseIspClientConfig, type ResolvedIspClientConfig } from '../config.js';
import { openIspClient, type IspClient } from '../open-client.js';
import { testClientYaml } from './harness.js';

export const CENTER_PUBLIC_URL = 'https://center.example';
const SESSION_SECRET = 'real-center-test-secret-0123456789-abcdefghij';

/** One seeded incident: a name for the test, its source, and its attacks (time, source port). */
export type Seed<N extends string> = readonly [name: N, srcIp: string, attacks: readonly { readonly time: string; readonly port: number }[]];

export interface RealCenter<N extends string> {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Example Net's API token. */
  readonly token: string;
  /** Another ISP's token and one of its tracking IDs, for isolation checks. */
  readonly otherToken: string;
  readonly otherTrackingId: string;
  /** The tracking ID of each seeded incident of Example Net. */
  readonly ids: Readonly<Record<N, string>>;
  close(): Promise<void>;
}

const times = (n: number): { time: string; port: number }[] =>
  Array.from({ length: n }, (_, i) => ({ time: `2024-06-2${i % 9}T0${i % 10}:00:00.000Z`, port: 5000 + i }));

/** n attacks, one a minute from 2024-06-20 00:00, source ports from `port` up. */
export function attacks(n: number, port: number): { time: string; port: number }[] {
  return Array.from({ length: n }, (_, i) => ({ time: new Date(Date.parse('2024-06-20T00:00:00.000Z') + i * 60_000).toISOString(), port: port + i }));
}

/** Who sits behind each default seed (see ../fixtures/subscribers.csv). */
export const DEFAULT_SEEDS = [
  ['hanako', '192.0.2.10', [{ time: '2024-06-20T10:00:01.000Z', port: 40001 }, { time: '2024-06-21T11:00:00.000Z', port: 40002 }]],
  ['john', '192.0.2.20', times(25)],
  // One source, two episodes months apart: a CGN port handed to another subscriber in between.
  ['cgnMarch', '198.51.100.7', [{ time: '2024-03-10T00:00:00.000Z', port: 2050 }]],
  ['cgnJuly', '198.51.100.7', [{ time: '2024-06-20T00:00:00.000Z', port: 2050 }]],
  ['unknown', '203.0.113.99', [{ time: '2024-06-20T00:00:00.000Z', port: 1 }]],
  ['postalOnly', '192.0.2.30', [{ time: '2024-06-20T00:00:00.000Z', port: 9 }]],
] as const satisfies readonly Seed<string>[];

export type DefaultSighting = (typeof DEFAULT_SEEDS)[number][0];

/**
 * The real center on real storage: two ISPs, events turned into incidents and a weekly request by
 * the workflow services, and the Fastify app listening on 127.0.0.1 and a free port.
 */
export async function startRealCenter<N extends string = DefaultSighting>(storage: Storage, seeds: readonly Seed<N>[] = DEFAULT_SEEDS as unknown as readonly Seed<N>[]): Promise<RealCenter<N>> {
  await workflow.createIsp(storage, { id: 'example-net', name: 'Example Net', asns: [64500], prefixes: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] }, 'setup');
  await workflow.createIsp(storage, { id: 'other-net', name: 'Other Net', asns: [64501], prefixes: ['2001:db8::/32'] }, 'setup');
  const A = 'Example Net';
  const sha = (c: string): string => c.repeat(64);
  await insertEvents(storage, [
    ...seeds.flatMap(([, ip, list]) => list.map((o) => event(o.time, ip, A, { src_port: o.port, sample_sha256: sha('a') }))),
    event('2024-06-20T00:00:00.000Z', '2001:db8::1', 'Other Net', { src_port: 3333 }),
  ]);
  const now = new Date('2024-07-01T00:00:00.000Z');
  await workflow.buildIncidents(storage, { gapDays: 7, now });
  const built = await workflow.buildWeeklyRequests(storage, { now, publicUrl: CENTER_PUBLIC_URL });
  if (built.length !== 2) throw new Error(`expected one request per ISP, got ${built.length}`);
  const mine = (await workflow.listIncidents(storage, { ispId: 'example-net' })).incidents;
  const find = ([name, ip, list]: Seed<N>): string => {
    const first = list[0]?.time ?? '';
    const inc = mine.find((i) => i.srcIp === ip && i.firstSeen <= first && i.lastSeen >= first);
    if (inc === undefined) throw new Error(`no incident for ${name}`);
    return inc.trackingId;
  };
  const ids = Object.fromEntries(seeds.map((seed) => [seed[0], find(seed)])) as Record<N, string>;
  const other = (await workflow.listIncidents(storage, { ispId: 'other-net' })).incidents[0];
  if (other === undefined) throw new Error('no incident for the other ISP');
  const token = (await workflow.issueIspToken(storage, 'example-net', 'setup')).token;
  const otherToken = (await workflow.issueIspToken(storage, 'other-net', 'setup')).token;

  const app = await buildApp({ storage, services: workflow, config: { publicUrl: CENTER_PUBLIC_URL, sessionSecret: SESSION_SECRET } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, token, otherToken, otherTrackingId: other.trackingId, ids, close: () => app.close() };
}

export interface RealClient {
  readonly dir: string;
  readonly client: IspClient;
  readonly config: ResolvedIspClientConfig;
  readonly warnings: string[];
  /** The client's clock; tests move it. Starts on Wednesday 2024-07-03, 10:00 in Tokyo. */
  clock: Date;
  close(): Promise<void>;
}

/** An ISP client in a temp folder, wired by HTTP to a real center and an SMTP server on loopback. */
export async function openRealClient(center: { url: string; token: string }, smtp: { host: string; port: number }, extraYaml = ''): Promise<RealClient> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-isp-real-'));
  const yaml = testClientYaml(center.url, CENTER_PUBLIC_URL, smtp, extraYaml);
  const file = join(dir, 'isp-client.yaml');
  writeFileSync(file, yaml);
  const config = parseIspClientConfig(yaml, 'isp-client.yaml', file, { CLEANCENTER_ISP_TOKEN: center.token });
  const warnings: string[] = [];
  const r: RealClient = {
    dir,
    config,
    warnings,
    clock: new Date('2024-07-03T01:00:00Z'),
    client: undefined as unknown as IspClient,
    close: async () => {
      await r.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  (r as { client: IspClient }).client = await openIspClient(config, { now: () => r.clock, warn: (m) => warnings.push(m) });
  return r;
}
