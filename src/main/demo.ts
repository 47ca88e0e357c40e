import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoResult } from '../cli/deps.js';
import { ingestFiles, type IngestSummary } from '../intake/ingest.js';
import { registerDownloadFolder } from '../samples/register-downloads.js';
import { scanStoredSamples } from '../samples/scan-samples.js';
import { createHashListScanner, loadHashList } from '../samples/scanners/hash-list.js';
import { createReaders } from './readers.js';
import { loadConfig } from './config.js';
import { runtimeFor } from './runtime.js';
import { randomBytes } from 'node:crypto';
import * as workflow from '../workflow/index.js';
import { buildApp } from '../http/app.js';
import { runIspClientDemo, DEMO_SUBSCRIBERS } from '../isp-client/demo.js';

/** The demo's synthetic logs are from May 2024; its "today" is the Monday after. */
const DEMO_NOW = '2024-06-03T09:00:00.000Z';
/** The first notice day: the Wednesday of that week (mid-week, so users can act at the weekend). */
const DEMO_FIRST_NOTICE = '2024-06-05T01:00:00.000Z';
const DEMO_PUBLIC_URL = 'https://center.example';

/** The bundled synthetic data (made by scripts/make-demo-data.ts). */
export const DEMO_DATA = fileURLToPath(new URL('../../demo/', import.meta.url));

const DEMO_INPUTS: readonly { format: string; path: string; sensor?: string }[] = [
  { format: 'dionaea-sqlite', path: 'dionaea/logsql.sqlite', sensor: 'dionaea-nagoya-1' },
  { format: 'dionaea-incident', path: 'dionaea/dionaea.json', sensor: 'dionaea-sapporo-2' },
  { format: 'cowrie', path: 'cowrie/cowrie.json' },
  { format: 'cc-jsonl', path: 'sensors/events.jsonl' },
  { format: 'cc-csv', path: 'sensors/events.csv' },
];

function demoConfig(): string {
  const d = (p: string): string => JSON.stringify(join(DEMO_DATA, p));
  return `# Written by \`cleancenter demo\`: a synthetic world on documentation addresses.
# "ZZ" is an ISO 3166 private-use code; the bundled demo geo database puts
# 192.0/16, 198.51/16, 203.0/16 and 233.252/16 there.
homeCountry: ZZ
database: ./demo.db
geo:
  countryDb: ${d('geo/demo-country.mmdb')}
  asnDb: ${d('geo/demo-asn.csv')}
isps:
  - name: Example Net
    asns: [64500]
  - name: Sample Cable
    prefixes: [198.51.100.0/25]
  - name: Test Mobile
    prefixes: [203.0.113.0/24, 2001:db8:1::/48]
sensors:
  dionaea-nagoya-1: dionaea log_sqlite, SMB/DCE-RPC
  dionaea-sapporo-2: dionaea log_json
  cowrie-tokyo-1: cowrie SSH
  ids-osaka-2: a third-party sensor in cleancenter's JSON-lines format
  ids-kyoto-2: the same kind of sensor, writing CSV
`;
}

/**
 * The README's main job: the bundled synthetic honeypot logs into a fresh SQLite file, binaries
 * hashed, samples classified against a bundled hash list. Leaves a config file in the folder so
 * that every other command can be tried on the result.
 */
export async function runDemo(folder: string, onProgress: (label: string, done: number, total: number | null) => void): Promise<DemoResult> {
  const dir = resolve(folder);
  mkdirSync(dir, { recursive: true });
  for (const f of ['demo.db', 'demo.db-wal', 'demo.db-shm']) rmSync(join(dir, f), { force: true });
  const configFile = join(dir, 'cleancenter.yaml');
  if (existsSync(configFile)) rmSync(configFile);
  writeFileSync(configFile, demoConfig());
  const runtime = runtimeFor(loadConfig({ path: configFile, env: {} }));
  const readers = createReaders();
  const storage = await runtime.storage();
  const enricher = await runtime.enricher();
  const ingests: IngestSummary[] = [];
  for (const input of DEMO_INPUTS) {
    const reader = readers.get(input.format);
    if (reader === undefined) throw new Error(`demo: no reader for ${input.format}`);
    ingests.push(
      await ingestFiles({
        storage,
        reader,
        enricher,
        paths: [join(DEMO_DATA, input.path)],
        ...(input.sensor !== undefined ? { sensor: input.sensor } : {}),
        onProgress: (p) => onProgress(`ingest ${input.format}`, p.recordsRead, null),
      }),
    );
  }
  const downloads = await registerDownloadFolder(storage, join(DEMO_DATA, 'downloads'), (n) => onProgress('hashing downloads', n, null));
  const scanner = createHashListScanner(await loadHashList(join(DEMO_DATA, 'known-hashes.txt')), { name: 'demo-hash-list' });
  const scan = await scanStoredSamples(storage, scanner, { onProgress: (d, t) => onProgress('scanning samples', d, t) });

  // The ISP workflow on the same data: the configured ISPs take part, incidents and the week's
  // identification requests are formed, and Example Net's client answers them from the bundled
  // synthetic subscriber file and writes its staged notices as .eml files.
  onProgress('ISP workflow', 0, null);
  const config = loadConfig({ path: configFile, env: {} });
  for (const isp of config.isps) await workflow.createIsp(storage, { name: isp.name, asns: isp.asns, prefixes: isp.prefixes }, 'demo');
  const now = new Date(DEMO_NOW);
  const incidents = await workflow.buildIncidents(storage, { now });
  const requests = await workflow.buildWeeklyRequests(storage, { now, publicUrl: DEMO_PUBLIC_URL });
  const ispId = (await workflow.listIsps(storage)).find((i) => i.name === 'Example Net')?.id;
  if (ispId === undefined) throw new Error('demo: Example Net was not registered');
  const { token } = await workflow.issueIspToken(storage, ispId, 'demo');
  const app = await buildApp({
    storage,
    services: workflow,
    config: { publicUrl: DEMO_PUBLIC_URL, sessionSecret: randomBytes(32).toString('base64url'), limits: { answerBytes: config.workflow.answerMaxBytes, answerRows: config.workflow.answerMaxRows } },
    logger: false,
  });
  let isp;
  try {
    isp = await runIspClientDemo({ app, token, publicUrl: DEMO_PUBLIC_URL, subscriberCsv: DEMO_SUBSCRIBERS, outDir: join(dir, 'isp-example-net'), start: new Date(DEMO_FIRST_NOTICE), warn: () => undefined });
  } finally {
    await app.close();
  }
  const figures = await workflow.workflowFigures(storage, {});
  return { folder: dir, configFile, runtime, ingests, downloads, scan, workflow: { incidents, requests: requests.map((r) => ({ isp: r.isp, week: r.week, items: r.items.length })), isp, figures } };
}
