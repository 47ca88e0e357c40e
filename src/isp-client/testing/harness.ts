import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IdentificationRequest, RequestItem } from '../center-client.js';
import { parseIspClientConfig, type ResolvedIspClientConfig } from '../config.js';
import { openIspClient, type IspClient } from '../open-client.js';
import { startFakeCenter, type FakeCenter } from './fake-center.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export const FIXTURE_CSV = fileURLToPath(new URL('../fixtures/subscribers.csv', import.meta.url));
export const TOKEN = 'isp-token-example-net-0123456789';
export const SECRET = 'test-secret-for-subscriber-keys-0123456789';

/** The client config every test starts from: the fixture subscribers, a center and an SMTP peer on loopback. */
export function testClientYaml(centerUrl: string, publicUrl: string, smtp: { host: string; port: number }, extraYaml = ''): string {
  return `ispName: Example Net
center:
  url: ${centerUrl}
  publicUrl: ${publicUrl}
database: ./client.db
subscriberKeySecret: ${SECRET}
lookup:
  kind: csv
  file: ${JSON.stringify(FIXTURE_CSV)}
smtp:
  host: ${smtp.host}
  port: ${smtp.port}
  secure: false
  from: "Example Net Security <security@isp.example>"
${extraYaml}`;
}

export interface Harness {
  readonly dir: string;
  readonly center: FakeCenter;
  readonly smtp: SmtpSink;
  readonly client: IspClient;
  readonly config: ResolvedIspClientConfig;
  readonly warnings: string[];
  /** The client's clock; tests move it. */
  clock: Date;
  close(): Promise<void>;
}

/** A temp folder, a fake center and an SMTP sink on loopback, and a client wired to them. */
export async function startHarness(extraYaml = ''): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-isp-'));
  const center = await startFakeCenter();
  const smtp = await startSmtpSink();
  const yaml = testClientYaml(center.url, 'https://center.example', smtp, extraYaml);
  const file = join(dir, 'isp-client.yaml');
  writeFileSync(file, yaml);
  const config = parseIspClientConfig(yaml, 'isp-client.yaml', file, { CLEANCENTER_ISP_TOKEN: TOKEN });
  const warnings: string[] = [];
  const h: Harness = {
    dir,
    center,
    smtp,
    config,
    warnings,
    clock: new Date('2024-07-03T01:00:00Z'), // Wednesday 10:00 in Tokyo
    client: undefined as unknown as IspClient,
    close: async () => {
      await h.client.close();
      await smtp.close();
      await center.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  (h as { client: IspClient }).client = await openIspClient(config, { now: () => h.clock, warn: (m) => warnings.push(m) });
  center.addRequest(TOKEN, { requestId: 'none', week: '2000-W01', createdAt: '2000-01-01T00:00:00Z', items: [] });
  return h;
}

export function item(trackingId: string, srcIp: string, observations: { time: string; srcPort: number | null }[], extra: Partial<RequestItem> = {}): RequestItem {
  const times = observations.map((o) => o.time).sort();
  return {
    trackingId,
    ticket: `CC-${trackingId.slice(0, 4).toUpperCase()}-Q2`,
    srcIp,
    firstSeen: times[0] ?? '2024-05-01T00:00:00Z',
    lastSeen: times.at(-1) ?? '2024-05-01T00:00:00Z',
    attackCount: observations.length,
    botNames: ['Demo.Bot.A'],
    vulnerabilities: ['MS08-067'],
    trackingUrl: `https://center.example/t/${trackingId}`,
    observations: observations.map((o) => ({ ...o, dstIp: '203.0.113.1', dstPort: 445, protocol: 'smb' })),
    ...extra,
  };
}

export function request(requestId: string, items: RequestItem[]): IdentificationRequest {
  return { requestId, week: '2024-W26', createdAt: '2024-06-24T00:00:00Z', items };
}

export const DAY = 86_400_000;
