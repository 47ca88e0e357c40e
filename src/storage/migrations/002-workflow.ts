import type { Kysely, Migration } from 'kysely';

/** ISP workflow: ISPs and their tokens, incidents, requests, answers, notices, operators, audit log. */
export const workflowMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('isps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('asns', 'text', (c) => c.notNull())
      .addColumn('prefixes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('isp_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('isp_id', 'text', (c) => c.notNull().references('isps.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('isp_tokens_isp').on('isp_tokens').columns(['isp_id']).execute();

    await db.schema
      .createTable('incidents')
      .addColumn('incident_id', 'text', (c) => c.primaryKey())
      .addColumn('tracking_id', 'text', (c) => c.notNull().unique())
      .addColumn('ticket', 'text', (c) => c.notNull().unique())
      .addColumn('isp_id', 'text', (c) => c.notNull().references('isps.id'))
      .addColumn('event_isp', 'text', (c) => c.notNull())
      .addColumn('src_ip', 'text', (c) => c.notNull())
      .addColumn('episode', 'integer', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('attack_count', 'integer', (c) => c.notNull())
      .addColumn('vulnerabilities', 'text', (c) => c.notNull())
      .addColumn('bot_names', 'text', (c) => c.notNull())
      .addColumn('strongest_stage', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('subscriber_key', 'text')
      // Answers applied so far: a request counts an answer only when none came since it listed the incident.
      .addColumn('answer_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_notice', 'integer')
      .addColumn('previous_incident_id', 'text')
      .addColumn('requested_until', 'text')
      .addColumn('detected_at', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text')
      .addColumn('identified_at', 'text')
      .addColumn('not_found_at', 'text')
      .addColumn('not_our_customer_at', 'text')
      .addColumn('notified_at', 'text')
      .addColumn('notice_stage', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visited_at', 'text')
      .addColumn('downloaded_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('remediated_at', 'text')
      .addColumn('reinfected_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('incidents_episode', ['isp_id', 'src_ip', 'episode'])
      .execute();
    await db.schema.createIndex('incidents_isp_state').on('incidents').columns(['isp_id', 'state']).execute();
    await db.schema.createIndex('incidents_key').on('incidents').columns(['isp_id', 'subscriber_key']).execute();

    // Every attack of an incident's episode as JSON, in the shape the request download serves, so that a
    // 100,000-incident request is read without re-joining the events table. Apart from the incident so
    // that its rows stay small: answers, notices and site events rewrite incident rows, never these.
    await db.schema
      .createTable('incident_observations')
      .addColumn('incident_id', 'text', (c) => c.primaryKey())
      .addColumn('observations', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('incident_state_log')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('incident_state_log_incident').on('incident_state_log').columns(['incident_id', 'at']).execute();

    await db.schema
      .createTable('identification_requests')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('isp_id', 'text', (c) => c.notNull().references('isps.id'))
      .addColumn('week', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      // Kept by the answer upload: counting on every list call read the whole request.
      .addColumn('answered_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('requests_isp').on('identification_requests').columns(['isp_id', 'created_at']).execute();

    await db.schema
      .createTable('request_items')
      .addColumn('request_id', 'text', (c) => c.notNull())
      // The item's place in the request (first sighting, then tracking ID): downloads page through it.
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('observed_until', 'text', (c) => c.notNull())
      // The incident's answer_seq when listed: the first answer after it counts as this item's answer.
      .addColumn('answer_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('request_items_pk', ['request_id', 'seq'])
      .execute();
    await db.schema.createIndex('request_items_incident').on('request_items').columns(['incident_id']).execute();

    await db.schema
      .createTable('answer_uploads')
      .addColumn('upload_id', 'text', (c) => c.primaryKey())
      .addColumn('isp_id', 'text', (c) => c.notNull())
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('answers')
      .addColumn('upload_id', 'text', (c) => c.notNull())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('subscriber_key', 'text')
      .addColumn('answered_at', 'text', (c) => c.notNull())
      .execute();
    // No primary key: an upload never answers an incident twice (checked before writing), and rows
    // appended in upload order are far cheaper to write than a random-order key.
    await db.schema.createIndex('answers_upload').on('answers').columns(['upload_id']).execute();
    await db.schema.createIndex('answers_incident').on('answers').columns(['incident_id']).execute();

    await db.schema
      .createTable('notices')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('notices_pk', ['incident_id', 'stage', 'channel', 'sent_at'])
      .execute();
    await db.schema.createIndex('notices_sent').on('notices').columns(['sent_at']).execute();

    await db.schema
      .createTable('operators')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();

    await db.schema
      .createTable('operator_sessions')
      .addColumn('session_hash', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();

    // Which intake imports the incident builder has read, so that it rereads only the sources they touched.
    await db.schema
      .createTable('incident_imports')
      .addColumn('import_id', 'text', (c) => c.primaryKey())
      .addColumn('processed_at', 'text', (c) => c.notNull())
      .execute();

    // Incident building and request observations read events by ISP and source over time.
    await db.schema.createIndex('events_isp_src_time').ifNotExists().on('events').columns(['isp', 'src_ip', 'time']).execute();
    await db.schema.createIndex('events_import').ifNotExists().on('events').columns(['import_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('events_import').ifExists().execute();
    await db.schema.dropIndex('events_isp_src_time').ifExists().execute();
    for (const t of [
      'incident_imports', 'audit_log', 'operator_sessions', 'operators', 'notices', 'answers', 'answer_uploads',
      'request_items', 'identification_requests', 'incident_state_log', 'incident_observations', 'incidents', 'isp_tokens', 'isps',
    ]) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  },
};
