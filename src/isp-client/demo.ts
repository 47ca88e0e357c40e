import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnswerSummary } from './answer.js';
import { httpTransport, injectTransport, type InjectableApp } from './center-client.js';
import { ispClientConfigSchema, type ResolvedIspClientConfig } from './config.js';
import type { LettersSummary } from './letters.js';
import { createFolderMailer } from './notices/mailer.js';
import type { NotifySummary } from './notify.js';
import { openIspClient } from './open-client.js';
import type { PullSummary } from './pull.js';

/** The bundled synthetic subscribers of the demo ISP "Example Net" (192.0.2.0/24). */
export const DEMO_SUBSCRIBERS = fileURLToPath(new URL('../../demo/isp/subscribers.csv', import.meta.url));

export interface IspClientDemoOptions {
  /** A running center, or an in-process app (anything with Fastify's inject). One is required. */
  readonly centerUrl?: string;
  readonly app?: InjectableApp;
  readonly token: string;
  /** The center's public site, for the "check this notice" link; default the center URL. */
  readonly publicUrl?: string;
  /** Default: demo/isp/subscribers.csv. */
  readonly subscriberCsv?: string;
  /** Receives client.db, mail/*.eml and the letters. Emptied of an earlier demo's files. */
  readonly outDir: string;
  /** Weekly rounds to simulate (1 informs, 2 asks, 3 is urgent). Default 3. */
  readonly weeks?: number;
  /** The first notice day; default the next Wednesday 10:00 in Tokyo after now. */
  readonly start?: Date;
  readonly warn?: (message: string) => void;
}

export interface IspClientDemoResult {
  readonly outDir: string;
  readonly mailDir: string;
  readonly pull: PullSummary;
  readonly answer: AnswerSummary;
  readonly weeks: readonly NotifySummary[];
  readonly emlFiles: readonly string[];
  readonly letters: { readonly csv: LettersSummary; readonly pdf: LettersSummary };
}

/** The next Wednesday 01:00 UTC (10:00 in Tokyo) at or after the given time. */
export function nextDemoNoticeDay(from: Date): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 1));
  while (d.getUTCDay() !== 3 || d < from) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/**
 * The ISP side of `cleancenter demo`: answers the center's requests from a synthetic subscriber
 * file and writes the staged weekly notices as .eml files (no SMTP), plus the postal letters as
 * CSV and PDF, so that a user can open what subscribers would receive.
 */
export async function runIspClientDemo(o: IspClientDemoOptions): Promise<IspClientDemoResult> {
  if (o.centerUrl === undefined && o.app === undefined) throw new Error('runIspClientDemo needs centerUrl or app');
  const outDir = resolve(o.outDir);
  const mailDir = join(outDir, 'mail');
  mkdirSync(outDir, { recursive: true });
  rmSync(mailDir, { recursive: true, force: true });
  for (const f of ['client.db', 'client.db-wal', 'client.db-shm']) rmSync(join(outDir, f), { force: true });
  const from = 'Example Net Security <security@isp.example>';
  const base = ispClientConfigSchema.parse({
    ispName: 'Example Net',
    center: { url: o.centerUrl ?? 'http://127.0.0.1', publicUrl: o.publicUrl ?? null },
    lookup: { kind: 'csv', file: o.subscriberCsv ?? DEMO_SUBSCRIBERS },
    notices: { contact: 'Example Net support (demo): support@isp.example' },
    smtp: { host: 'unused.invalid', from },
  });
  const config: ResolvedIspClientConfig = {
    ...base,
    database: join(outDir, 'client.db'),
    lookup: { kind: 'csv', file: resolve(o.subscriberCsv ?? DEMO_SUBSCRIBERS) },
    token: o.token,
    // A fixed demo secret: the keys only need to be stable within the demo.
    keySecret: 'cleancenter-demo-secret-not-for-production-use',
    file: join(outDir, 'isp-client.yaml'),
  };
  let clock = o.start ?? nextDemoNoticeDay(new Date());
  const transport = o.app !== undefined ? injectTransport(o.app, o.token) : httpTransport(o.centerUrl as string, o.token);
  const client = await openIspClient(config, { transport, mailer: createFolderMailer(mailDir, from), now: () => clock, ...(o.warn ? { warn: o.warn } : {}) });
  try {
    const pull = await client.pull();
    const answer = await client.answer();
    const weeks: NotifySummary[] = [];
    for (let w = 0; w < (o.weeks ?? 3); w++) {
      if (w > 0) clock = new Date(clock.getTime() + 7 * 86_400_000);
      weeks.push(await client.notify());
    }
    const csv = await client.letters({ format: 'csv', out: join(outDir, 'letters.csv'), dryRun: true });
    const pdf = await client.letters({ format: 'pdf', out: join(outDir, 'letters.pdf'), dryRun: true });
    const emlFiles = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort().map((f) => join(mailDir, f));
    return { outDir, mailDir, pull, answer, weeks, emlFiles, letters: { csv, pdf } };
  } finally {
    await client.close();
  }
}
