import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database, Storage } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';

/** Rows bound to one INSERT; 999 bound parameters at most, so old SQLite builds take it too. */
const ROWS_PER_STATEMENT = 32;
/** Page cache of a server's connection (see Storage.tuneForServer); a command keeps 64 MiB. */
const SERVER_CACHE_KIB = 256 * 1024;
/** Rows of a narrow table (fewer than 12 columns) bound to one plain multi-row INSERT. */
const NARROW_ROWS_PER_STATEMENT = 40;

/** Opens (creating if needed) the embedded SQLite database and applies migrations. */
export async function openSqliteStorage(path: string): Promise<Storage> {
  const sqlite = new BetterSqlite3(path);
  // WAL lets `serve` read while `ingest` writes; NORMAL sync is safe with WAL and much faster.
  // Only takes effect for a new file (before its first table). Larger pages mean a quarter of the
  // WAL frames and write calls per commit and checkpoint, which is much of a bulk ingest's I/O cost.
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  // Fewer, larger checkpoints: a bulk ingest otherwise spends much of its time copying WAL pages back.
  sqlite.pragma('wal_autocheckpoint = 8000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>);
  const statements = new Map<string, BetterSqlite3.Statement>();
  let checkpointer: { stop(): Promise<void> } | undefined;
  /**
   * INSERT of `rowCount` rows whose columns flagged in `constant` (bit c for cols[c]) hold one value
   * for all rows, bound once ahead of the others. Table and column names come from our own row
   * types; values are always bound.
   */
  const groupStatement = (table: string, cols: readonly string[], rowCount: number, constant: number): BetterSqlite3.Statement => {
    const key = `${table}:${rowCount}:${constant}:${cols.join(',')}`;
    let st = statements.get(key);
    if (st === undefined) {
      // Bounded: row shapes are few, but nothing here should grow with the input.
      if (statements.size >= 256) statements.clear();
      const names = cols.map((c) => `"${c}"`).join(', ');
      if (rowCount === 1 || constant === -1) {
        // constant -1: plain multi-row VALUES, nothing shared (narrow rows).
        const tuple = `(${cols.map(() => '?').join(', ')})`;
        st = sqlite.prepare(`INSERT INTO "${table}" (${names}) VALUES ${new Array<string>(rowCount).fill(tuple).join(', ')} ON CONFLICT DO NOTHING`);
      } else {
        let k = 0;
        const select = cols.map((_, c) => ((constant & (1 << c)) !== 0 ? '?' : `column${++k}`));
        const tuple = `(${new Array<string>(k).fill('?').join(', ')})`;
        // "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
        st = sqlite.prepare(
          `INSERT INTO "${table}" (${names}) SELECT ${select.join(', ')} FROM (VALUES ${new Array<string>(rowCount).fill(tuple).join(', ')}) WHERE true ON CONFLICT DO NOTHING`,
        );
      }
      statements.set(key, st);
    }
    return st;
  };
  return {
    db,
    dialect: 'sqlite',
    location: path,
    // SQLite ≥ 3.32 allows 32,766 bound parameters per statement.
    maxParams: 32_000,
    // Kysely's SQLite dialect holds this one connection for the transaction, so statements run here
    // are part of it.
    insertIgnore: async (_tx, table, rows) => {
      const first = rows[0];
      if (first === undefined) return 0;
      const cols = Object.keys(first);
      const width = cols.length;
      const all = rows as unknown as readonly Record<string, unknown>[];
      let inserted = 0;
      let i = 0;
      // Wide rows (events) go several to a statement, and a value that is the same in every row (the
      // file, the import, a NULL) is bound once per statement: binding 26 values costs about as much
      // as SQLite's own work for the row. For narrow rows the sub-select costs more than it saves.
      const group = Math.min(ROWS_PER_STATEMENT, Math.floor(999 / width));
      if (group > 1 && width >= 12 && width <= 30 && all.length >= group) {
        // Constant over the whole call, not per group: a handful of statements to prepare and
        // cache, whatever the rows hold.
        let constant = 0;
        const head = first as unknown as Record<string, unknown>;
        // Column 0 always varies (it is the key), so that a group has at least one VALUES column.
        for (let c = 1; c < width; c++) {
          const name = cols[c] as string;
          const v = head[name];
          let same = true;
          for (let r = 1; r < all.length && same; r++) same = (all[r] as Record<string, unknown>)[name] === v;
          if (same) constant |= 1 << c;
        }
        const st = groupStatement(table, cols, group, constant);
        const values: unknown[] = [];
        for (let c = 1; c < width; c++) if ((constant & (1 << c)) !== 0) values.push(head[cols[c] as string]);
        const shared = values.length;
        for (; i + group <= all.length; i += group) {
          values.length = shared;
          for (let r = i; r < i + group; r++) {
            const row = all[r] as Record<string, unknown>;
            for (let c = 0; c < width; c++) if ((constant & (1 << c)) === 0) values.push(row[cols[c] as string]);
          }
          inserted += st.run(values).changes;
        }
      }
      // Narrow rows (samples, rejects): several to a plain multi-row INSERT, which
      // saves a statement step per row; sharing values through a sub-select would cost more here.
      const narrow = Math.min(NARROW_ROWS_PER_STATEMENT, Math.floor(999 / width));
      if (width < 12 && narrow > 1 && all.length - i >= narrow) {
        const st = groupStatement(table, cols, narrow, -1);
        const values = new Array<unknown>(width * narrow);
        for (; i + narrow <= all.length; i += narrow) {
          let k = 0;
          for (let r = i; r < i + narrow; r++) {
            const row = all[r] as Record<string, unknown>;
            for (let c = 0; c < width; c++) values[k++] = row[cols[c] as string];
          }
          inserted += st.run(values).changes;
        }
      }
      const single = groupStatement(table, cols, 1, 0);
      const values = new Array<unknown>(width);
      for (; i < all.length; i++) {
        const row = all[i] as Record<string, unknown>;
        for (let c = 0; c < width; c++) values[c] = row[cols[c] as string];
        inserted += single.run(values).changes;
      }
      return inserted;
    },
    tuneForServer: (checkpointIntervalMs = 1000) => {
      sqlite.pragma(`cache_size = -${SERVER_CACHE_KIB}`);
      if (path !== ':memory:' && path !== '') checkpointer ??= startCheckpointer(path, checkpointIntervalMs);
    },
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The write-ahead log's checkpoint (copying committed pages back into the database file) on a
 * thread of its own, with its own connection. SQLite otherwise runs it inside whichever commit
 * pushes the log past wal_autocheckpoint: a 100,000-row answer upload paid for the 190 MB the
 * week's request build had written just before. A PASSIVE checkpoint waits for no one and blocks
 * no one; the autocheckpoint stays as the backstop should this thread fall behind. Code, not a
 * file, so that it runs the same from the sources (tsx) and from a build.
 */
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let reported = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (!reported) parentPort.postMessage(String((e && e.message) || e));
    reported = true;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

function startCheckpointer(path: string, intervalMs: number): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { driver, path, intervalMs }, execArgv: [] });
  worker.unref();
  worker.on('message', (m: string) => process.emitWarning(`background checkpoint of ${path} failed: ${m}`));
  worker.on('error', (e) => process.emitWarning(`background checkpoint of ${path} stopped: ${e.message}`));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Held (ref) until it has closed its connection: close() then leaves no thread behind.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
