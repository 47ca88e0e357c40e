import type { Kysely, Transaction } from 'kysely';
import type { Database, Storage } from '../schema.js';

/** Row types of the ISP workflow tables (migration 002-workflow). Times are ISO UTC text. */
export interface IspsTable {
  id: string;
  name: string;
  /** JSON array of numbers. */
  asns: string;
  /** JSON array of canonical prefixes. */
  prefixes: string;
  created_at: string;
  updated_at: string;
}

export interface IspTokensTable {
  token_hash: string;
  isp_id: string;
  created_at: string;
  revoked_at: string | null;
}

export interface IncidentsTable {
  incident_id: string;
  tracking_id: string;
  ticket: string;
  isp_id: string;
  /** The ISP as written on the events (name or id), so that observations can be found by index. */
  event_isp: string;
  src_ip: string;
  episode: number;
  first_seen: string;
  last_seen: string;
  attack_count: number;
  vulnerabilities: string;
  bot_names: string;
  strongest_stage: string;
  state: string;
  subscriber_key: string | null;
  /** How many answers (identified, not-found, not-our-customer) were applied so far. */
  answer_seq: number;
  first_notice: number | null;
  previous_incident_id: string | null;
  /** last_seen when the incident was last put on a request: newer activity asks again. */
  requested_until: string | null;
  detected_at: string;
  requested_at: string | null;
  identified_at: string | null;
  not_found_at: string | null;
  not_our_customer_at: string | null;
  notified_at: string | null;
  notice_stage: number;
  visited_at: string | null;
  downloaded_at: string | null;
  completed_at: string | null;
  remediated_at: string | null;
  reinfected_at: string | null;
  updated_at: string;
}

export interface IncidentObservationsTable {
  incident_id: string;
  /** JSON array of {time, srcPort, dstIp, dstPort, protocol}, one per attack, oldest first: as served. */
  observations: string;
}

export interface IncidentStateLogTable {
  incident_id: string;
  state: string;
  at: string;
  detail: string | null;
}

export interface IdentificationRequestsTable {
  request_id: string;
  isp_id: string;
  week: string;
  created_at: string;
  item_count: number;
  /** Items answered after the request was made. */
  answered_count: number;
}

export interface RequestItemsTable {
  request_id: string;
  /** 1-based place in the request, by first sighting then tracking ID. */
  seq: number;
  incident_id: string;
  /** The incident's last sighting when requested: the request lists observations up to here. */
  observed_until: string;
  /** The incident's answer_seq when it was listed. */
  answer_seq: number;
}

export interface AnswersTable {
  upload_id: string;
  incident_id: string;
  result: string;
  subscriber_key: string | null;
  answered_at: string;
}

export interface AnswerUploadsTable {
  upload_id: string;
  isp_id: string;
  uploaded_at: string;
  actor: string;
  row_count: number;
  content_type: string;
}

export interface NoticesTable {
  incident_id: string;
  stage: number;
  channel: string;
  sent_at: string;
  recorded_at: string;
}

export interface OperatorsTable {
  username: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface OperatorSessionsTable {
  session_hash: string;
  username: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  at: string;
  actor: string;
  action: string;
  target: string;
  details: string | null;
}

export interface ProcessedImportsTable {
  import_id: string;
  processed_at: string;
}

export interface WorkflowTables {
  isps: IspsTable;
  isp_tokens: IspTokensTable;
  incidents: IncidentsTable;
  incident_observations: IncidentObservationsTable;
  incident_state_log: IncidentStateLogTable;
  identification_requests: IdentificationRequestsTable;
  request_items: RequestItemsTable;
  answers: AnswersTable;
  answer_uploads: AnswerUploadsTable;
  notices: NoticesTable;
  operators: OperatorsTable;
  operator_sessions: OperatorSessionsTable;
  audit_log: AuditLogTable;
  incident_imports: ProcessedImportsTable;
}

export type WorkflowDatabase = Database & WorkflowTables;
export type WorkflowDb = Kysely<WorkflowDatabase>;
export type WorkflowTx = Transaction<WorkflowDatabase>;

/** The storage's Kysely handle typed with the workflow tables as well (schema.ts belongs to intake). */
export function wdb(storage: Storage): WorkflowDb {
  // Same connection, wider table types: the tables exist once migration 002 has run.
  return storage.db as unknown as WorkflowDb;
}

/**
 * Bulk insert through the dialect's fast path (cached prepared statement on SQLite, multi-row
 * INSERT on PostgreSQL). Rows whose primary key exists are skipped.
 */
export function insertMany<T extends keyof WorkflowTables>(storage: Storage, tx: WorkflowTx, table: T, rows: readonly WorkflowTables[T][]): Promise<number> {
  if (rows.length === 0) return Promise.resolve(0);
  // insertIgnore's types name the intake tables only; its SQL works for any table.
  return storage.insertIgnore(tx as unknown as Transaction<Database>, table as unknown as 'events', rows as never);
}
