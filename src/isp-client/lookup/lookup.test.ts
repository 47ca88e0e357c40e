import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { openLocalSqlite } from '../../storage/dialects/local-sqlite.js';
import { openForeignDatabase } from '../../storage/dialects/foreign-database.js';
import { csvLookupFromText, loadCsvLookup } from './csv-lookup.js';
import { matchLease, type Lease } from './lease-match.js';
import { createScriptLookup } from './script-lookup.js';
import { createSqlLookup, splitNamedQuery } from './sql-lookup.js';
import { resolveItem, sampleObservations } from './resolve-item.js';
import type { Subscriber } from './types.js';

const FIXTURE = new URL('../fixtures/subscribers.csv', import.meta.url).pathname;
const sub = (c: string): Subscriber => ({ customerNumber: c, name: null, email: null, postalAddress: null, language: null, defaultMailUnchanged: false });
const t = (s: string): number => Date.parse(s);

describe('CGN lease matching', () => {
  const leases: Lease[] = [
    { portFrom: 1024, portTo: 2047, validFrom: t('2024-01-01T00:00:00Z'), validTo: t('2024-06-01T00:00:00Z'), subscriber: sub('A') },
    { portFrom: 2048, portTo: 4095, validFrom: t('2024-01-01T00:00:00Z'), validTo: t('2024-06-01T00:00:00Z'), subscriber: sub('B') },
    { portFrom: 2048, portTo: 4095, validFrom: t('2024-06-01T00:00:00Z'), validTo: null, subscriber: sub('C') },
  ];
  const who = (port: number | null, time: string): string => {
    const o = matchLease(leases, port, t(time));
    return o.kind === 'found' ? o.subscriber.customerNumber : o.kind;
  };
  test('port and time pick the one subscriber', () => {
    assert.equal(who(1500, '2024-03-01T00:00:00Z'), 'A');
    assert.equal(who(2048, '2024-03-01T00:00:00Z'), 'B');
    assert.equal(who(4095, '2024-05-31T23:59:59Z'), 'B');
    // validTo is exclusive: the reassignment starts at the boundary.
    assert.equal(who(3000, '2024-06-01T00:00:00Z'), 'C');
    assert.equal(who(1500, '2024-07-01T00:00:00Z'), 'not-found');
    assert.equal(who(5000, '2024-03-01T00:00:00Z'), 'not-found');
    assert.equal(who(1500, '2023-12-31T23:59:59Z'), 'not-found');
  });
  test('without a port, several subscribers sharing the address are ambiguous', () => {
    const o = matchLease(leases, null, t('2024-03-01T00:00:00Z'));
    assert.equal(o.kind, 'not-found');
    assert.match((o as { reason: string }).reason, /ambiguous: 2/);
    assert.equal(who(null, '2024-07-01T00:00:00Z'), 'C');
  });
  test('a port-range lease beats a whole-address lease', () => {
    const mixed: Lease[] = [{ portFrom: null, portTo: null, validFrom: null, validTo: null, subscriber: sub('W') }, leases[0] as Lease];
    assert.equal(matchLease(mixed, 1500, t('2024-03-01T00:00:00Z')).kind === 'found' && (matchLease(mixed, 1500, t('2024-03-01T00:00:00Z')) as { subscriber: Subscriber }).subscriber.customerNumber, 'A');
    assert.equal((matchLease(mixed, 9000, t('2024-03-01T00:00:00Z')) as { subscriber: Subscriber }).subscriber.customerNumber, 'W');
  });
});

describe('CSV lookup', () => {
  test('reads the fixture and rejects each bad row with its line and reason', async () => {
    const l = loadCsvLookup(FIXTURE);
    const reasons = l.rejects.map((r) => `${r.line}: ${r.reason}`);
    assert.equal(l.rejects.length, 7, reasons.join('\n'));
    assert.ok(l.rejects.every((r) => r.source === FIXTURE));
    assert.match(reasons.join('\n'), /^8: ip "not-an-ip" is not an IP address$/m);
    assert.match(reasons.join('\n'), /^9: port_from "70000" is not a port number/m);
    assert.match(reasons.join('\n'), /^10: valid_from "yesterday" is not an ISO 8601 time/m);
    assert.match(reasons.join('\n'), /^11: no customer_number$/m);
    assert.match(reasons.join('\n'), /^12: e-mail address "not-an-address" is not valid$/m);
    assert.match(reasons.join('\n'), /^13: language "fr" is not ja or en$/m);
    assert.match(reasons.join('\n'), /^14: has 3 fields, the header has 11$/m);
    const o = await l.lookup({ ip: '192.0.2.10', port: 1, time: '2024-06-01T00:00:00Z' });
    assert.equal(o.kind, 'found');
    const s = (o as { subscriber: Subscriber }).subscriber;
    assert.equal(s.postalAddress, '東京都千代田区例町1-2-3\n例ビル101');
    assert.equal(s.language, 'ja');
    assert.equal((await l.lookup({ ip: '192.0.2.10', port: 1, time: '2023-06-01T00:00:00Z' })).kind, 'not-found');
  });
  test('hostile input: broken quotes, huge fields, non-UTF-8 bytes, no header, empty', () => {
    const head = 'ip,customer_number,email\n';
    const broken = csvLookupFromText(`${head}192.0.2.1,"C-1,a@mail.example\n192.0.2.2,C-2,b@mail.example\n`, 'b.csv');
    assert.ok(broken.rejects.length >= 1);
    assert.match(broken.rejects[0]?.reason ?? '', /not valid CSV|fields/);
    const huge = csvLookupFromText(`${head}192.0.2.1,${'x'.repeat(5000)},a@mail.example\n192.0.2.2,C-2,b@mail.example\n`, 'h.csv');
    assert.deepEqual(huge.rejects.map((r) => [r.line, r.reason]), [[2, 'a field is longer than 2000 characters']]);
    const bytes = Buffer.concat([Buffer.from(`${head}192.0.2.1,C-`), Buffer.from([0xff, 0xfe]), Buffer.from(',a@mail.example\n')]);
    const nonUtf8 = csvLookupFromText(new TextDecoder().decode(bytes), 'n.csv');
    assert.deepEqual(nonUtf8.rejects.map((r) => r.reason), ['is not valid UTF-8']);
    const noHeader = csvLookupFromText('192.0.2.1,C-1\n', 'x.csv');
    assert.match(noHeader.rejects.map((r) => r.reason).join(' '), /header has no ip column/);
    assert.deepEqual(csvLookupFromText('', 'e.csv').rejects, []);
  });
});

describe('SQL lookup', () => {
  test('named parameters are bound, never pasted', () => {
    const q = splitNamedQuery("SELECT * FROM l WHERE ip = :ip AND note <> ':time' AND p::int = :port -- :nothing\n AND t <= :time");
    assert.deepEqual(q.names, ['ip', 'port', 'time']);
    assert.equal(q.parts.join('?'), "SELECT * FROM l WHERE ip = ? AND note <> ':time' AND p::int = ? -- :nothing\n AND t <= ?");
    assert.throws(() => splitNamedQuery('SELECT :customer'), /unknown parameter :customer/);
  });

  test('against a SQLite database, with CGN port ranges and times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-sql-'));
    const file = join(dir, 'isp.db');
    const create: Migration = {
      async up(db: Kysely<unknown>) {
        await sql`CREATE TABLE leases (ip TEXT, port_from INTEGER, port_to INTEGER, start_time TEXT, end_time TEXT, customer_number TEXT, email TEXT, postal_address TEXT, name TEXT, language TEXT, default_mail_unchanged INTEGER)`.execute(db);
        await sql`INSERT INTO leases VALUES
          ('198.51.100.7', 1024, 2047, '2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', 'C-2001', 'a@mail.example', NULL, NULL, 'ja', 0),
          ('198.51.100.7', 2048, 4095, '2024-01-01T00:00:00Z', NULL, 'C-2002', 'b@mail.example', '2 Sample Road', 'Bea', 'en', 1),
          ('192.0.2.10', NULL, NULL, '2024-01-01T00:00:00Z', NULL, 'C-1001', NULL, NULL, NULL, NULL, 0)`.execute(db);
      },
    };
    const setup = await openLocalSqlite<unknown>(file, { '001': create });
    await setup.destroy();
    const l = createSqlLookup(
      openForeignDatabase(file),
      `SELECT customer_number, email, postal_address, name, language, default_mail_unchanged FROM leases
       WHERE ip = :ip AND start_time <= :time AND (end_time IS NULL OR end_time > :time)
         AND (port_from IS NULL OR :port BETWEEN port_from AND port_to)
       ORDER BY port_from IS NULL`,
    );
    try {
      const b = await l.lookup({ ip: '198.51.100.7', port: 3000, time: '2024-03-01T00:00:00Z' });
      assert.deepEqual(b, { kind: 'found', subscriber: { customerNumber: 'C-2002', name: 'Bea', email: 'b@mail.example', postalAddress: '2 Sample Road', language: 'en', defaultMailUnchanged: true } });
      const a = await l.lookup({ ip: '198.51.100.7', port: 1500, time: '2024-03-01T00:00:00Z' });
      assert.equal(a.kind === 'found' && a.subscriber.customerNumber, 'C-2001');
      assert.equal((await l.lookup({ ip: '198.51.100.7', port: 1500, time: '2024-07-01T00:00:00Z' })).kind, 'not-found');
      // A value that would break a pasted query is only a value.
      assert.equal((await l.lookup({ ip: "' OR 1=1 --", port: 1, time: '2024-03-01T00:00:00Z' })).kind, 'not-found');
      assert.equal((await l.lookup({ ip: '192.0.2.10', port: null, time: '2024-03-01T00:00:00Z' })).kind, 'found');
    } finally {
      await l.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failing query is an error to retry, not a not-found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-sql-'));
    const file = join(dir, 'empty.db');
    await (await openLocalSqlite<unknown>(file, {})).destroy();
    const l = createSqlLookup(openForeignDatabase(file), 'SELECT * FROM no_such_table WHERE ip = :ip');
    try {
      const o = await l.lookup({ ip: '192.0.2.1', port: 1, time: '2024-01-01T00:00:00Z' });
      assert.equal(o.kind, 'error');
    } finally {
      await l.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('script lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-script-'));
  const script = (name: string, body: string): string => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  const lookupScript = script(
    'lookup.mjs',
    `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const q=JSON.parse(s);
     if(q.ip==='198.51.100.7'&&q.port>=2048&&q.time<'2024-06-01')console.log(JSON.stringify({customerNumber:'C-2002',email:'b@mail.example',language:'en'}));
     else if(q.ip==='203.0.113.5')console.log(JSON.stringify({result:'not-our-customer'}));
     else if(q.ip==='203.0.113.6')console.log('not json');
     else console.log('null');});`,
  );
  test('JSON in, JSON out, without a shell', async () => {
    const l = createScriptLookup([process.execPath, lookupScript], 5000);
    const o = await l.lookup({ ip: '198.51.100.7', port: 3000, time: '2024-03-01T00:00:00Z' });
    assert.equal(o.kind === 'found' && o.subscriber.customerNumber, 'C-2002');
    assert.equal((await l.lookup({ ip: '198.51.100.7', port: 1000, time: '2024-03-01T00:00:00Z' })).kind, 'not-found');
    assert.equal((await l.lookup({ ip: '203.0.113.5', port: 1, time: '2024-03-01T00:00:00Z' })).kind, 'not-our-customer');
    assert.equal((await l.lookup({ ip: '203.0.113.6', port: 1, time: '2024-03-01T00:00:00Z' })).kind, 'error');
    // Shell metacharacters in the data reach the script as data.
    assert.equal((await l.lookup({ ip: '$(touch /tmp/x); 192.0.2.1', port: 1, time: 't' })).kind, 'not-found');
  });
  test('time limit, crash and a missing program are errors', async () => {
    const slow = createScriptLookup([process.execPath, script('slow.mjs', 'setTimeout(()=>{}, 60000)')], 300);
    const o = await slow.lookup({ ip: '192.0.2.1', port: 1, time: '2024-01-01T00:00:00Z' });
    assert.deepEqual(o, { kind: 'error', reason: 'lookup script timed out after 300 ms' });
    const crash = createScriptLookup([process.execPath, script('crash.mjs', 'process.exit(3)')], 5000);
    assert.match((await crash.lookup({ ip: '192.0.2.1', port: 1, time: 't' })).kind, /^error$/);
    const missing = createScriptLookup([join(dir, 'no-such-program')], 5000);
    assert.equal((await missing.lookup({ ip: '192.0.2.1', port: 1, time: 't' })).kind, 'error');
  });
  test('an incident resolves by the subscriber seen most often', async () => {
    const l = createScriptLookup([process.execPath, lookupScript], 5000);
    const r = await resolveItem(l, '198.51.100.7', [
      { time: '2024-03-01T00:00:00Z', srcPort: 3000 },
      { time: '2024-03-02T00:00:00Z', srcPort: 100 },
    ], 20);
    assert.equal(r.result, 'identified');
    const none = await resolveItem(l, '203.0.113.5', [{ time: '2024-03-01T00:00:00Z', srcPort: 1 }], 20);
    assert.equal(none.result, 'not-our-customer');
    const broken = await resolveItem(l, '203.0.113.6', [{ time: '2024-03-01T00:00:00Z', srcPort: 1 }], 20);
    assert.equal(broken.result, 'error');
  });
  test('observation sampling keeps the first and the last', () => {
    const obs = Array.from({ length: 100 }, (_, i) => ({ time: String(i), srcPort: i }));
    const s = sampleObservations(obs, 5);
    assert.deepEqual(s.map((o) => o.srcPort), [0, 25, 50, 74, 99]);
  });
});
