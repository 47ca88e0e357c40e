import type { Kysely, Migration } from 'kysely';

/**
 * The botnet-traceback study: studies and their parameters, the names studied (C&C lists and the
 * benign control list), every resolution per round, the classified IPs, and the list lines that
 * could not be read. Keys are natural (study + name + round, study + ip + role) so that a resumed
 * study writes each fact once.
 */
export const tracebackMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('studies')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('study_names')
      .ifNotExists()
      .addColumn('study', 'text', (c) => c.notNull())
      // 'cc' for the C&C lists, 'control' for the benign control list.
      .addColumn('set_kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // 'domain' is resolved; 'ip' is a C&C address listed as such (Feodo) and needs no resolution.
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('snapshot_date', 'text')
      .addColumn('category', 'text')
      .addColumn('first_seen', 'text')
      .addColumn('last_seen', 'text')
      .addColumn('listed_ip', 'text')
      .addPrimaryKeyConstraint('study_names_pk', ['study', 'set_kind', 'name'])
      .execute();

    await db.schema
      .createTable('study_rejects')
      .ifNotExists()
      .addColumn('study', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('study_rejects_pk', ['study', 'source', 'line', 'reason'])
      .execute();

    await db.schema
      .createTable('resolutions')
      .ifNotExists()
      .addColumn('study', 'text', (c) => c.notNull())
      .addColumn('round', 'integer', (c) => c.notNull())
      .addColumn('set_kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('auth_server_name', 'text')
      .addColumn('auth_server_ip', 'text')
      .addColumn('first_address', 'text')
      .addColumn('addresses', 'text', (c) => c.notNull())
      .addColumn('cname_chain', 'text', (c) => c.notNull())
      .addColumn('delegation_path', 'text', (c) => c.notNull())
      .addColumn('hops', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('queries', 'integer', (c) => c.notNull())
      .addColumn('resolved_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resolutions_pk', ['study', 'round', 'set_kind', 'name'])
      .execute();

    await db.schema
      .createTable('study_ips')
      .ifNotExists()
      .addColumn('study', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      // 'dns' | 'cc' | 'control-dns' | 'control-cc'
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('names', 'text', (c) => c.notNull())
      .addColumn('country', 'text')
      .addColumn('asn', 'bigint')
      .addColumn('ptr', 'text')
      .addColumn('forward_ok', 'integer')
      .addColumn('s25r_rules', 'text', (c) => c.notNull())
      .addColumn('end_user', 'integer', (c) => c.notNull())
      .addColumn('blocklists', 'text', (c) => c.notNull())
      .addColumn('sinkhole', 'text')
      .addColumn('irc_verdict', 'text')
      .addColumn('irc_detail', 'text')
      .addColumn('lifetime_days', 'double precision')
      .addColumn('lifetime_censored', 'integer')
      .addColumn('classification', 'text', (c) => c.notNull())
      .addColumn('classified_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('study_ips_pk', ['study', 'ip', 'role'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['study_ips', 'resolutions', 'study_rejects', 'study_names', 'studies']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  },
};
