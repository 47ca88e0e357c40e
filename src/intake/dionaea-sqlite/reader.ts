import Database from 'better-sqlite3';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { FORMAT, mapRow } from './row-mapper.js';
import type { Row, RowContext } from './row-mapper.js';
import { selectSql, TABLES } from './schema.js';

const PROGRESS_EVERY = 4096;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function fileReject(file: string, row: string | null, reason: string): ReadItem {
  return { kind: 'reject', reject: { format: FORMAT, source: file, line: null, row, reason, raw: '' } };
}

/**
 * A name for the database that survives copying and renaming: the time and honeypot address of
 * its first connection. Two sensors never log their first connection at the same microsecond.
 */
function dbIdentity(db: Database.Database): string {
  const first = db.prepare('SELECT connection_timestamp AS t, local_host AS h FROM connections ORDER BY connection LIMIT 1').get() as { t: unknown; h: unknown } | undefined;
  if (first === undefined) return 'empty';
  const part = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v).slice(0, 64) : 'null');
  return `${part(first.t)}@${part(first.h)}`;
}

/** Raw arrays plus a JS-built object are markedly faster than better-sqlite3's own row objects. */
function toRow(names: readonly string[], values: readonly unknown[]): Row {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row;
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * dionaea's log_sqlite database (logsql.sqlite), opened read-only. One event, reject or ignored
 * item per row of connections, dcerpcbinds, dcerpcrequests, logins, emu_profiles, offers and downloads.
 *
 * A file that is not SQLite, or whose pages are corrupt or cut off, never throws: it yields a
 * reject for the file (row null) or for the table that stopped being readable (row = table name),
 * after every row that could still be read. Only a file that cannot be opened at all throws.
 */
export const dionaeaSqliteReader: HoneypotReader = {
  format: FORMAT,
  description: "dionaea log_sqlite database (logsql.sqlite): connections, DCE/RPC requests, logins, shellcode profiles, offers, downloads",
  read(path: string, options?: ReadOptions): AsyncIterable<ReadItem> {
    return readDatabase(path, options ?? {});
  },
};

async function* readDatabase(file: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    let tables: Set<string>;
    let ctx: RowContext;
    try {
      tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
      if (!tables.has('connections')) {
        yield fileReject(file, null, 'not a dionaea log_sqlite database: it has no connections table');
        return;
      }
      ctx = { file, sensor: options.sensor ?? 'dionaea', dbIdentity: dbIdentity(db) };
    } catch (e) {
      yield fileReject(file, null, `not a readable SQLite database: ${message(e)}`);
      return;
    }
    const specs = TABLES.filter((t) => tables.has(t.name));
    let total: number | null = 0;
    try {
      for (const t of specs) total += (db.prepare(`SELECT count(*) AS n FROM ${t.name}`).get() as { n: number }).n;
    } catch {
      total = null; // a corrupt file still gets read as far as it goes
    }
    const hasRequests = tables.has('dcerpcrequests');
    let done = 0;
    for (const spec of specs) {
      let lastId: unknown = null;
      try {
        const present = columnsOf(db, spec.name);
        const missing = spec.required.filter((c) => !present.has(c));
        if (missing.length > 0) {
          yield fileReject(file, spec.name, `table ${spec.name} lacks column(s) ${missing.join(', ')}; its rows were not read`);
          continue;
        }
        const stmt = db.prepare(selectSql(spec, present, hasRequests)).raw();
        const names = stmt.columns().map((c) => c.name);
        for (const values of stmt.iterate() as IterableIterator<unknown[]>) {
          const row = toRow(names, values);
          lastId = row.x_id;
          yield mapRow(spec.name, row, ctx);
          if (++done % PROGRESS_EVERY === 0) options.onProgress?.(done, total);
        }
      } catch (e) {
        const after = lastId === null ? 'from its first row' : `after row ${String(lastId)}`;
        yield fileReject(file, spec.name, `table ${spec.name} is unreadable ${after}: ${message(e)}; the rest of it is lost`);
      }
    }
    options.onProgress?.(done, total);
  } finally {
    db.close();
  }
}
