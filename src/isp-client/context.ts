import type { Kysely } from 'kysely';
import type { CenterClient } from './center-client.js';
import type { ResolvedIspClientConfig } from './config.js';
import type { LocalDatabase } from './local-schema.js';
import type { SubscriberLookup } from './lookup/types.js';
import type { NoticeMailer } from './notices/mailer.js';

/** Everything the client's steps run with; built by openIspClient (or by a test / the demo). */
export interface IspClientContext {
  readonly config: ResolvedIspClientConfig;
  readonly db: Kysely<LocalDatabase>;
  readonly center: CenterClient;
  /** Opened on first use: pull needs it, notify does not. */
  lookup(): Promise<SubscriberLookup>;
  /** null when no smtp is configured (notify then refuses to send, but --dry-run works). */
  mailer(): Promise<NoticeMailer | null>;
  readonly now: () => Date;
  readonly warn: (message: string) => void;
}
