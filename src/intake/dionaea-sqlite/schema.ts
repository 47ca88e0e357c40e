/**
 * The log_sqlite tables this reader turns into events, and the SQL that reads each one together
 * with the connection it belongs to, that connection's parent and its tree root (dionaea links a
 * download connection to the exploited connection through connection_parent / connection_root).
 * Joins go through the INTEGER PRIMARY KEY, so reading stays one streaming pass per table.
 */

export type TableName = 'connections' | 'dcerpcbinds' | 'dcerpcrequests' | 'emu_profiles' | 'offers' | 'downloads' | 'logins';

export interface TableSpec {
  readonly name: TableName;
  /** The INTEGER PRIMARY KEY column. */
  readonly id: string;
  /** Columns the reader needs; a table without them is rejected as a whole. */
  readonly required: readonly string[];
  /** Columns used when present (added by later dionaea versions). */
  readonly optional: readonly string[];
}

/** In the order an attack unfolds, so that a consumer sees connects before exploits before downloads. */
export const TABLES: readonly TableSpec[] = [
  { name: 'connections', id: 'connection', required: ['connection_type', 'connection_transport', 'connection_protocol', 'connection_timestamp', 'connection_root', 'connection_parent', 'local_host', 'local_port', 'remote_host', 'remote_port'], optional: [] },
  { name: 'dcerpcbinds', id: 'dcerpcbind', required: ['connection', 'dcerpcbind_uuid'], optional: [] },
  { name: 'dcerpcrequests', id: 'dcerpcrequest', required: ['connection', 'dcerpcrequest_uuid', 'dcerpcrequest_opnum'], optional: [] },
  { name: 'logins', id: 'login', required: ['connection'], optional: [] },
  { name: 'emu_profiles', id: 'emu_profile', required: ['connection', 'emu_profile_json'], optional: [] },
  { name: 'offers', id: 'offer', required: ['connection', 'offer_url'], optional: [] },
  { name: 'downloads', id: 'download', required: ['connection', 'download_url', 'download_md5_hash'], optional: ['download_timestamp'] },
];

const INBOUND = "('accept', 'reject', 'pending')";

/**
 * SELECT for one table. Every row has x_id (the row id), the table's own columns as x_<column>,
 * the connection as c_*, and the attacker's connection as a_*: the connection itself when inbound;
 * for an outbound one (dionaea fetching the bot) its inbound parent, else its inbound tree root,
 * else itself when it is linked to nothing (dionaea logs remote-opened UDP sessions as "connect").
 * a_id is NULL when an outbound connection is linked but no inbound ancestor exists.
 * q_requests lists the DCE/RPC requests ("uuid:opnum", space separated) on the connection or its
 * parent, so that an offer or download can name the vulnerability of the attack that led to it.
 * Attribution is done in SQL so that each row crosses into JavaScript with few columns.
 */
export function selectSql(spec: TableSpec, present: ReadonlySet<string>, hasRequests: boolean): string {
  const conn = spec.name === 'connections' ? 'x' : 'c';
  // the connections table is read through its c_* and a_* aliases only
  const own = conn === 'x' ? [] : [...spec.required, ...spec.optional.filter((c) => present.has(c))];
  const requests =
    hasRequests && spec.name !== 'connections' && spec.name !== 'dcerpcrequests' && spec.name !== 'dcerpcbinds'
      ? `(SELECT group_concat(q.dcerpcrequest_uuid || ':' || q.dcerpcrequest_opnum, ' ') FROM dcerpcrequests q WHERE q.connection IN (${conn}.connection, ${conn}.connection_parent)) AS q_requests`
      : 'NULL AS q_requests';
  const columns = [
    `x.${spec.id} AS x_id`,
    ...own.map((c) => `x.${c} AS x_${c}`),
    ...['connection', 'connection_type', 'connection_transport', 'connection_protocol', 'connection_timestamp'].map((c) => `${conn}.${c} AS c_${c}`),
    ...['connection', 'local_host', 'local_port', 'remote_host', 'remote_port'].map((c) => `a.${c} AS a_${c === 'connection' ? 'id' : c}`),
    requests,
  ];
  const attacker = [
    'CASE',
    `WHEN ${conn}.connection_type IN ${INBOUND} THEN ${conn}.connection`,
    `WHEN p.connection_type IN ${INBOUND} THEN p.connection`,
    `WHEN r.connection_type IN ${INBOUND} THEN r.connection`,
    `WHEN ${conn}.connection_parent IS NULL AND (${conn}.connection_root IS NULL OR ${conn}.connection_root = ${conn}.connection) THEN ${conn}.connection`,
    'END',
  ].join(' ');
  return [
    `SELECT ${columns.join(', ')}`,
    `FROM ${spec.name} x`,
    conn === 'x' ? '' : 'LEFT JOIN connections c ON c.connection = x.connection',
    `LEFT JOIN connections p ON p.connection = ${conn}.connection_parent`,
    `LEFT JOIN connections r ON r.connection = ${conn}.connection_root AND r.connection <> ${conn}.connection`,
    `LEFT JOIN connections a ON a.connection = ${attacker}`,
    `ORDER BY x.${spec.id}`,
  ].join('\n');
}
