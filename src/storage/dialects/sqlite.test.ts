import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openSqliteStorage } from './sqlite.js';

/** Writes ~2 MB in one transaction: far below wal_autocheckpoint, so only a checkpoint moves it into the file. */
async function writeRejects(storage: Awaited<ReturnType<typeof openSqliteStorage>>, from: number): Promise<void> {
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    reject_key: `r-${from + i}`, format: 'test', source: 'x.log', line: i, row: null, reason: 'bad', raw: 'x'.repeat(1000), first_seen_at: '2024-05-01T00:00:00.000Z', import_id: 'imp',
  }));
  await storage.db.transaction().execute((tx) => storage.insertIgnore(tx, 'rejects', rows));
}

test('a server checkpoints the write-ahead log into the database file, off the writing thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-ckpt-'));
  try {
    const file = join(dir, 'c.db');
    // Without it: committed pages stay in the log, the database file does not grow.
    const plain = await openSqliteStorage(file);
    const before = statSync(file).size;
    await writeRejects(plain, 0);
    await sleep(300);
    assert.equal(statSync(file).size, before, 'no checkpoint ran');
    await plain.close();

    const file2 = join(dir, 'd.db');
    const served = await openSqliteStorage(file2);
    served.tuneForServer(50);
    served.tuneForServer(50); // a second call starts no second thread
    const cache = await sql<{ cache_size: number }>`pragma cache_size`.execute(served.db);
    assert.equal(cache.rows[0]?.cache_size, -262144);
    const start = statSync(file2).size;
    await writeRejects(served, 0);
    let grown = false;
    for (let i = 0; i < 100 && !grown; i++) {
      await sleep(50);
      grown = statSync(file2).size > start + 1_000_000;
    }
    assert.ok(grown, 'the background checkpoint copied the committed pages into the file');
    // Writing and reading go on as before, and close stops the thread (the process is not held open).
    await writeRejects(served, 2000);
    const n = await sql<{ n: number }>`select count(*) as n from rejects`.execute(served.db);
    assert.equal(Number(n.rows[0]?.n), 4000);
    await served.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
