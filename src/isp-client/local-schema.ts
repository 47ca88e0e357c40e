import type { Migration } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * The ISP client's own SQLite file. Subscriber data lives here and only here: nothing in these
 * tables except tracking IDs, results and opaque keys is ever sent to the center.
 * Times are ISO 8601 UTC text, booleans 0/1.
 */
export interface SubscribersTable {
  /** HMAC-SHA256(secret, customer number), base64url: the only thing the center learns. */
  subscriber_key: string;
  customer_number: string;
  name: string | null;
  email: string | null;
  postal_address: string | null;
  language: string;
  /** 1 when the subscriber still uses the mail address the ISP set up (a sign nobody reads it). */
  default_mail_unchanged: number;
  updated_at: string;
}

/** One incident of a request, as pulled, with the local lookup result. */
export interface ItemsTable {
  tracking_id: string;
  request_id: string;
  ticket: string;
  src_ip: string;
  first_seen: string;
  last_seen: string;
  attack_count: number;
  bot_names: string;
  vulnerabilities: string;
  tracking_url: string;
  observation_count: number;
  result: string;
  subscriber_key: string | null;
  /** Why a lookup found nobody or was unsure (local only). */
  lookup_detail: string | null;
  looked_up_at: string;
  answered_at: string | null;
  /** The center's reason when it refused this row. */
  answer_rejected: string | null;
}

export interface NoticesTable {
  notice_id: string;
  subscriber_key: string;
  /** JSON array of the tracking IDs the notice covered. */
  tracking_ids: string;
  stage: number;
  channel: string;
  language: string;
  sent_at: string;
  message_id: string | null;
  reported_at: string | null;
}

/** The center's GET /activity, last seen. */
export interface ActivityTable {
  tracking_id: string;
  state: string;
  visited_at: string | null;
  downloaded_at: string | null;
  completed_at: string | null;
  remediated_at: string | null;
  reinfected: number;
  fetched_at: string;
}

export interface LocalDatabase {
  subscribers: SubscribersTable;
  items: ItemsTable;
  notices: NoticesTable;
  activity: ActivityTable;
}

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('subscribers')
      .addColumn('subscriber_key', 'text', (c) => c.primaryKey())
      .addColumn('customer_number', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('email', 'text')
      .addColumn('postal_address', 'text')
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('default_mail_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('items')
      .addColumn('tracking_id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('ticket', 'text', (c) => c.notNull())
      .addColumn('src_ip', 'text', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('attack_count', 'integer', (c) => c.notNull())
      .addColumn('bot_names', 'text', (c) => c.notNull())
      .addColumn('vulnerabilities', 'text', (c) => c.notNull())
      .addColumn('tracking_url', 'text', (c) => c.notNull())
      .addColumn('observation_count', 'integer', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('subscriber_key', 'text')
      .addColumn('lookup_detail', 'text')
      .addColumn('looked_up_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('answer_rejected', 'text')
      .execute();
    await db.schema.createIndex('items_subscriber').on('items').column('subscriber_key').execute();
    await db.schema
      .createTable('notices')
      .addColumn('notice_id', 'text', (c) => c.primaryKey())
      .addColumn('subscriber_key', 'text', (c) => c.notNull())
      .addColumn('tracking_ids', 'text', (c) => c.notNull())
      .addColumn('stage', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('reported_at', 'text')
      .execute();
    await db.schema.createIndex('notices_subscriber').on('notices').columns(['subscriber_key', 'sent_at']).execute();
    await db.schema
      .createTable('activity')
      .addColumn('tracking_id', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('visited_at', 'text')
      .addColumn('downloaded_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('remediated_at', 'text')
      .addColumn('reinfected', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fetched_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['activity', 'notices', 'items', 'subscribers']) await db.schema.dropTable(t).execute();
  },
};

/** The local file's migrations, in code so an installed copy finds them. */
export const LOCAL_MIGRATIONS: Record<string, Migration> = { '001-isp-client': initial };
