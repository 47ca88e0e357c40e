import type { Kysely } from 'kysely';
import { openLocalSqlite } from '../storage/dialects/local-sqlite.js';
import { openForeignDatabase } from '../storage/dialects/foreign-database.js';
import { UserError } from '../domain/errors.js';
import { uploadAnswers, type AnswerSummary } from './answer.js';
import { createCenterClient, httpTransport, type CenterTransport } from './center-client.js';
import type { LookupConfig, ResolvedIspClientConfig } from './config.js';
import type { IspClientContext } from './context.js';
import { writeLetters, type LettersOptions, type LettersSummary } from './letters.js';
import { LOCAL_MIGRATIONS, type LocalDatabase } from './local-schema.js';
import { loadCsvLookup } from './lookup/csv-lookup.js';
import { createScriptLookup } from './lookup/script-lookup.js';
import { createSqlLookup } from './lookup/sql-lookup.js';
import type { SubscriberLookup } from './lookup/types.js';
import { createSmtpMailer, type NoticeMailer } from './notices/mailer.js';
import { sendNotices, type NotifyOptions, type NotifySummary } from './notify.js';
import { pullRequests, type PullSummary } from './pull.js';

export interface IspClientStatus {
  readonly items: Readonly<Record<string, number>>;
  readonly unanswered: number;
  readonly subscribers: number;
  readonly notices: readonly { readonly channel: string; readonly stage: number; readonly count: number }[];
  readonly unreportedNotices: number;
}

/** What `cleancenter isp …` calls. */
export interface IspClient {
  readonly context: IspClientContext;
  pull(onProgress?: (done: number, total: number) => void): Promise<PullSummary>;
  answer(): Promise<AnswerSummary>;
  notify(opts?: NotifyOptions): Promise<NotifySummary>;
  letters(opts: LettersOptions): Promise<LettersSummary>;
  status(): Promise<IspClientStatus>;
  close(): Promise<void>;
}

export interface OpenIspClientOptions {
  /** Default: HTTP to config.center.url with the token. */
  readonly transport?: CenterTransport;
  /** Default: SMTP from config.smtp (null when there is none). */
  readonly mailer?: NoticeMailer | null;
  readonly now?: () => Date;
  readonly warn?: (message: string) => void;
}

export function openLookup(c: LookupConfig): SubscriberLookup {
  try {
    if (c.kind === 'csv') return loadCsvLookup(c.file);
    if (c.kind === 'sql') return createSqlLookup(openForeignDatabase(c.database), c.query);
    return createScriptLookup(c.command, c.timeoutMs);
  } catch (e) {
    throw new UserError('CONFIG_INVALID', `lookup (${c.kind}): ${(e as Error).message}`);
  }
}

/** Opens the local database and wires the center, the lookup and the mailer. */
export async function openIspClient(config: ResolvedIspClientConfig, o: OpenIspClientOptions = {}): Promise<IspClient> {
  let db: Kysely<LocalDatabase>;
  try {
    db = await openLocalSqlite<LocalDatabase>(config.database, LOCAL_MIGRATIONS);
  } catch (e) {
    throw new UserError('DATABASE_UNAVAILABLE', `ISP client database ${config.database}: ${(e as Error).message}`);
  }
  let lookup: SubscriberLookup | undefined;
  let mailer: NoticeMailer | null | undefined = o.mailer;
  const context: IspClientContext = {
    config,
    db,
    center: createCenterClient(o.transport ?? httpTransport(config.center.url, config.token, config.center.timeoutMs)),
    lookup: async () => (lookup ??= openLookup(config.lookup)),
    mailer: async () => (mailer === undefined ? (mailer = config.smtp === null ? null : createSmtpMailer(config.smtp)) : mailer),
    now: o.now ?? (() => new Date()),
    warn: o.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`)),
  };
  return {
    context,
    pull: (p) => pullRequests(context, p),
    answer: () => uploadAnswers(context),
    notify: (opts) => sendNotices(context, opts),
    letters: (opts) => writeLetters(context, opts),
    status: () => clientStatus(db),
    close: async () => {
      await lookup?.close();
      await mailer?.close();
      await db.destroy();
    },
  };
}

async function clientStatus(db: Kysely<LocalDatabase>): Promise<IspClientStatus> {
  const byResult = await db.selectFrom('items').select(['result', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('result').execute();
  const unanswered = await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where('answered_at', 'is', null).where('answer_rejected', 'is', null).executeTakeFirstOrThrow();
  const subscribers = await db.selectFrom('subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const notices = await db.selectFrom('notices').select(['channel', 'stage', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['channel', 'stage']).orderBy('channel').orderBy('stage').execute();
  const unreported = await db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).where('reported_at', 'is', null).executeTakeFirstOrThrow();
  return {
    items: Object.fromEntries(byResult.map((r) => [r.result, Number(r.n)])),
    unanswered: Number(unanswered.n),
    subscribers: Number(subscribers.n),
    notices: notices.map((n) => ({ channel: n.channel, stage: n.stage, count: Number(n.n) })),
    unreportedNotices: Number(unreported.n),
  };
}
