import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  ConfigError,
  checkResolver,
  checkProxy,
  configSchema,
  describeSources,
  isPostgresUrl,
  keyPath,
  loadConfig,
  loadConfigDetailed,
  redactDatabase,
  slugify,
  starterConfig,
  writeStarterConfig,
} from './config.js';
import type { Config, LoadConfigOptions } from './config.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fresh temp folder; removed when the test ends. */
function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cleancenter-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Load a config text written to dir/cleancenter.yaml, with an empty environment unless given. */
function loadText(dir: string, text: string, opts: LoadConfigOptions = {}): Config {
  writeFileSync(join(dir, 'cleancenter.yaml'), text);
  return loadConfig({ cwd: dir, env: {}, ...opts });
}

/** The ConfigError thrown by fn; fails the test when fn does not throw one. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail('expected a ConfigError');
}

function problemFor(err: ConfigError, key: string): string {
  const p = err.problems.find((x) => x.key === key);
  assert.ok(p, `no problem for ${key}; got:\n${err.message}`);
  return p.problem;
}

const ISP = 'isps:\n  - name: Example Net\n    prefixes: [192.0.2.0/24]\n';

describe('starter config', () => {
  test('parses, validates, and matches the defaults where the starter does not need its own value', (t) => {
    const dir = tempDir(t);
    const config = loadText(dir, starterConfig());
    const defaults = loadConfig({ cwd: dir, env: {}, path: writeFile(dir, 'empty.yaml', '') });
    assert.equal(config.homeCountry, 'JP');
    assert.deepEqual(config.isps, [
      { name: 'Example Net', id: 'example-net', asns: [64500], prefixes: ['192.0.2.0/24', '2001:db8:1::/48'] },
    ]);
    const { homeCountry: _h, isps: _i, ...rest } = config;
    const { homeCountry: _h2, isps: _i2, ...restDefaults } = defaults;
    assert.deepEqual(rest, restDefaults);
    assert.equal(config.database, join(dir, 'cleancenter.db'));
  });

  test('commenting out the example ISP or a whole section leaves valid empty values', (t) => {
    const dir = tempDir(t);
    const text = starterConfig()
      .replace(/^( {2}- name: Example Net[\s\S]*?2001:db8:1::\/48)$/m, (block) => block.replace(/^/gm, '#'))
      .replace(/^( {2}\w+: .*)$/gm, (line) => (line.startsWith('  maxLineBytes') ? `#${line}` : line));
    assert.match(text, /^isps:\n# {2}- name: Example Net/m);
    assert.match(text, /^intake:\n(?:\s*#.*\n)*# {2}maxLineBytes/m);
    const config = loadText(dir, text);
    assert.deepEqual(config.isps, []);
    assert.equal(config.intake.maxLineBytes, 1048576);
    assert.deepEqual(loadText(dir, 'isps:\nsensors:\nrdns:\n  servers:\n').rdns.servers, []);
    assert.deepEqual(loadText(dir, 'isps:\n  - name: Example Net\n    asns:\n    prefixes: [192.0.2.0/24]\n').isps[0]?.asns, []);
  });

  test('keeps its comments (it is the documentation users read)', () => {
    const text = starterConfig();
    assert.match(text, /^# cleancenter configuration/);
    for (const env of ['CLEANCENTER_DB', 'CLEANCENTER_HOME_COUNTRY', 'CLEANCENTER_GEO_COUNTRY_DB', 'CLEANCENTER_GEO_ASN_DB', 'CLEANCENTER_RDNS_ENABLED']) {
      assert.ok(text.includes(env), `starter does not mention ${env}`);
    }
    assert.match(text, /resolved against the folder this file is in/);
  });

  test('mentions every schema key, so no key is undocumented', () => {
    const starter = parse(starterConfig()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(starter).sort(), Object.keys(configSchema.shape).sort());
    for (const section of ['geo', 'rdns', 'intake', 'http', 'workflow'] as const) {
      const shape = configSchema.shape[section].def.innerType.shape;
      assert.deepEqual(Object.keys(starter[section] as object).sort(), Object.keys(shape).sort(), section);
    }
  });

  test('writeStarterConfig writes an owner-only file and refuses to overwrite unless forced', (t) => {
    const dir = tempDir(t);
    const path = writeStarterConfig('cleancenter.yaml', { cwd: dir });
    assert.equal(path, join(dir, 'cleancenter.yaml'));
    assert.equal(readFileSync(path, 'utf8'), starterConfig());
    assert.equal(statSync(path).mode & 0o777, 0o600);
    writeFileSync(path, 'homeCountry: DE\n');
    const err = configError(() => writeStarterConfig(path));
    assert.match(err.message, /already exists; use --force/);
    assert.equal(readFileSync(path, 'utf8'), 'homeCountry: DE\n');
    writeStarterConfig(path, { force: true });
    assert.equal(readFileSync(path, 'utf8'), starterConfig());
    assert.match(configError(() => writeStarterConfig(join(dir, 'no', 'such', 'x.yaml'))).message, /does not exist/);
  });
});

describe('loading', () => {
  test('no config file: defaults, database in the working folder', (t) => {
    const dir = tempDir(t);
    const loaded = loadConfigDetailed({ cwd: dir, env: {} });
    assert.equal(loaded.file, null);
    assert.deepEqual(loaded.config, {
      homeCountry: null,
      database: join(dir, 'cleancenter.db'),
      geo: { countryDb: null, asnDb: null },
      rdns: { enabled: false, servers: [], timeoutMs: 2000 },
      isps: [],
      sensors: {},
      intake: { maxLineBytes: 1048576 },
      http: { host: '127.0.0.1', port: 8080, publicUrl: null, trustProxy: [] },
      workflow: { episodeGapDays: 7, remediationDays: 30, answerMaxRows: 200000, answerMaxBytes: 33554432 },
      logLevel: 'info',
    });
  });

  test('an empty or comment-only file means defaults', (t) => {
    const dir = tempDir(t);
    assert.equal(loadText(dir, '').homeCountry, null);
    assert.equal(loadText(dir, '# nothing yet\n').logLevel, 'info');
  });

  test('a full file is normalised: canonical prefixes, parsed resolvers, absolute paths', (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'geo'));
    writeFileSync(join(dir, 'geo', 'country.mmdb'), 'x');
    writeFileSync(join(dir, 'geo', 'asn.csv'), 'x');
    const config = loadText(dir, readFileSync(join(FIXTURES, 'full.yaml'), 'utf8'));
    assert.equal(config.homeCountry, 'DE');
    assert.equal(config.database, join(dir, 'data', 'center.db'));
    assert.deepEqual(config.geo, { countryDb: join(dir, 'geo', 'country.mmdb'), asnDb: join(dir, 'geo', 'asn.csv') });
    assert.deepEqual(config.rdns, {
      enabled: true,
      servers: ['192.0.2.53:53', '198.51.100.53:5353', '[2001:db8::53]:53', '[2001:db8::54]:53'],
      timeoutMs: 500,
    });
    assert.deepEqual(config.isps, [
      { name: 'Example Net', id: 'example-net', asns: [64500, 64501], prefixes: ['192.0.2.0/24', '2001:db8:1::/48'] },
      { name: 'Test Telecom', id: 'test-tel', asns: [], prefixes: ['198.51.100.0/25'] },
      { name: 'Édition Réseau', id: 'edition-reseau', asns: [4200000000], prefixes: [] },
    ]);
    assert.deepEqual(config.sensors, { 'dionaea-1': 'dionaea at 203.0.113.10' });
    assert.equal(config.intake.maxLineBytes, 65536);
    assert.deepEqual(config.http, { host: '::', port: 0, publicUrl: 'https://cleancenter.example', trustProxy: [] });
    assert.equal(config.logLevel, 'debug');
  });

  test('CLEANCENTER_CONFIG names the file; --config wins over it', (t) => {
    const dir = tempDir(t);
    writeFile(dir, 'a.yaml', 'homeCountry: DE\n');
    writeFile(dir, 'b.yaml', 'homeCountry: FR\n');
    assert.equal(loadConfig({ cwd: dir, env: { CLEANCENTER_CONFIG: 'a.yaml' } }).homeCountry, 'DE');
    assert.equal(loadConfig({ cwd: dir, env: { CLEANCENTER_CONFIG: 'a.yaml' }, path: 'b.yaml' }).homeCountry, 'FR');
  });

  test('a missing explicitly named file is an error naming how it was named', (t) => {
    const dir = tempDir(t);
    const viaFlag = configError(() => loadConfig({ cwd: dir, env: {}, path: 'nope.yaml' }));
    assert.match(problemFor(viaFlag, '--config'), /file not found: .*nope\.yaml/);
    assert.equal(viaFlag.source, 'nope.yaml');
    const viaEnv = configError(() => loadConfig({ cwd: dir, env: { CLEANCENTER_CONFIG: 'gone.yaml' } }));
    assert.match(problemFor(viaEnv, 'CLEANCENTER_CONFIG'), /file not found: .*gone\.yaml/);
    assert.match(problemFor(configError(() => loadConfig({ cwd: dir, env: {}, path: '.' })), '--config'), /is a folder/);
  });

  test('a cleancenter.yml that would be ignored is pointed out', (t) => {
    const dir = tempDir(t);
    writeFile(dir, 'cleancenter.yml', 'homeCountry: DE\n');
    assert.match(configError(() => loadConfig({ cwd: dir, env: {} })).message, /reads cleancenter\.yaml; rename/);
  });
});

describe('errors name the key and the problem', () => {
  test('unknown keys, with a suggestion and the line', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, `homeCountry: JP\nhome_country: JP\n${ISP}geo:\n  countryDB: x\nfoo: 1\n`));
    assert.equal(problemFor(err, 'home_country'), 'unknown key; did you mean "homeCountry"?');
    assert.equal(problemFor(err, 'geo.countryDB'), 'unknown key; did you mean "countryDb"?');
    assert.match(problemFor(err, 'foo'), /^unknown key \(known keys: homeCountry, database, /);
    assert.equal(err.problems.find((p) => p.key === 'home_country')?.line, 2);
    assert.equal(err.problems.find((p) => p.key === 'geo.countryDB')?.line, 7);
    assert.match(err.message, /^invalid configuration in cleancenter\.yaml, 3 problems:\n {2}cleancenter\.yaml:2:1: home_country: unknown key/);
  });

  test('unknown key inside an ISP', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, 'isps:\n  - name: Example Net\n    prefix: [192.0.2.0/24]\n    asns: [64500]\n'));
    assert.equal(problemFor(err, 'isps[0].prefix'), 'unknown key; did you mean "prefixes"?');
    assert.equal(err.problems.length, 1);
  });

  test('bad home country: helpful for lower case, reserved and unknown codes', (t) => {
    const dir = tempDir(t);
    const cases: [string, RegExp][] = [
      ['jp', /"jp" must be upper case; did you mean JP\?/],
      ['UK', /"UK" is not an ISO 3166-1 code; did you mean GB\?/],
      ['AB', /"AB" is not an assigned ISO 3166-1 alpha-2 country code/],
      ['JPN', /"JPN" is not a two-letter ISO 3166-1 alpha-2 country code/],
      ['"12"', /"12" is not a two-letter/],
    ];
    for (const [value, expected] of cases) {
      assert.match(problemFor(configError(() => loadText(dir, `homeCountry: ${value}\n`)), 'homeCountry'), expected, value);
    }
    // Private-use codes (AA, QM–QZ, XA–XZ, ZZ) are for labs and the demo's synthetic world.
    assert.equal(loadText(dir, 'homeCountry: ZZ\n').homeCountry, 'ZZ');
    assert.equal(loadText(dir, 'homeCountry: XK\n').homeCountry, 'XK');
    // YAML 1.2: NO is Norway, not false.
    assert.equal(loadText(dir, 'homeCountry: NO\n').homeCountry, 'NO');
    assert.match(problemFor(configError(() => loadText(dir, 'homeCountry: 81\n')), 'homeCountry'), /expected text, got 81/);
  });

  test('bad prefixes: syntax, length, host bits with the corrected prefix, missing length', (t) => {
    const dir = tempDir(t);
    const err = configError(() =>
      loadText(
        dir,
        'isps:\n  - name: Example Net\n    prefixes: [192.0.2.0/24]\n  - name: Test Net\n    prefixes:\n' +
          '      - 198.51.100.1/24\n      - 2001:db8:1::1/48\n      - 203.0.113.0/33\n      - 203.0.113.300/32\n      - 198.51.100.7\n      - banana\n      - 7\n',
      ),
    );
    assert.equal(problemFor(err, 'isps[1].prefixes[0]'), '"198.51.100.1/24" has host bits set; did you mean 198.51.100.0/24?');
    assert.equal(problemFor(err, 'isps[1].prefixes[1]'), '"2001:db8:1::1/48" has host bits set; did you mean 2001:db8:1::/48?');
    assert.match(problemFor(err, 'isps[1].prefixes[2]'), /"203\.0\.113\.0\/33" is not a CIDR prefix: prefix length 33 is over 32$/);
    assert.match(problemFor(err, 'isps[1].prefixes[3]'), /is not a CIDR prefix/);
    assert.equal(problemFor(err, 'isps[1].prefixes[4]'), '"198.51.100.7" has no prefix length; write 198.51.100.7/32 for one address');
    assert.match(problemFor(err, 'isps[1].prefixes[5]'), /"banana" is not a CIDR prefix/);
    assert.equal(problemFor(err, 'isps[1].prefixes[6]'), 'expected text, got 7');
    assert.equal(err.problems.length, 7);
    assert.deepEqual(
      err.problems.map((p) => p.line),
      [6, 7, 8, 9, 10, 11, 12],
    );
    assert.match(err.message, /cleancenter\.yaml:6:9: isps\[1\]\.prefixes\[0\]: "198\.51\.100\.1\/24" has host bits set; did you mean 198\.51\.100\.0\/24\?/);
  });

  test('bad ASNs', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, 'isps:\n  - name: Example Net\n    asns: [0, 4294967296, AS64500, "64501", 1.5, -1, AS-FOO]\n'));
    assert.match(problemFor(err, 'isps[0].asns[0]'), /^0 is not an AS number \(a whole number from 1 to 4294967295\)$/);
    assert.match(problemFor(err, 'isps[0].asns[1]'), /^4294967296 is not an AS number/);
    assert.equal(problemFor(err, 'isps[0].asns[2]'), '"AS64500" is text; write the number 64500');
    assert.equal(problemFor(err, 'isps[0].asns[3]'), '"64501" is text; write the number 64501');
    assert.match(problemFor(err, 'isps[0].asns[4]'), /^1\.5 is not an AS number/);
    assert.match(problemFor(err, 'isps[0].asns[5]'), /^-1 is not an AS number/);
    assert.equal(problemFor(err, 'isps[0].asns[6]'), '"AS-FOO" is not an AS number');
    // Documentation ASNs and 32-bit ASNs are fine.
    assert.deepEqual(loadText(dir, 'isps:\n  - name: Example Net\n    asns: [64496, 64511, 4294967295]\n').isps[0]?.asns, [64496, 64511, 4294967295]);
  });

  test('duplicate ISP names (case-insensitive), ids, prefixes and ASNs name both places', (t) => {
    const dir = tempDir(t);
    const err = configError(() =>
      loadText(
        dir,
        'isps:\n' +
          '  - name: Example Net\n    asns: [64500]\n    prefixes: [192.0.2.0/24, 2001:db8:1::/48]\n' +
          '  - name: EXAMPLE NET\n    prefixes: [198.51.100.0/24]\n' +
          '  - name: Test Net\n    asns: [64500, 64501, 64501]\n    prefixes: [192.0.2.0/24, "2001:DB8:1:0::/48"]\n' +
          '  - name: Example-Net!\n    asns: [64502]\n',
      ),
    );
    assert.equal(problemFor(err, 'isps[1].name'), '"EXAMPLE NET" is also the name of isps[0]; ISP names must be unique');
    assert.equal(problemFor(err, 'isps[2].prefixes[0]'), '192.0.2.0/24 is also listed for "Example Net" (isps[0]) at isps[0].prefixes[0]; a prefix belongs to one ISP once');
    assert.equal(problemFor(err, 'isps[2].prefixes[1]'), '2001:db8:1::/48 is also listed for "Example Net" (isps[0]) at isps[0].prefixes[1]; a prefix belongs to one ISP once');
    assert.equal(problemFor(err, 'isps[2].asns[0]'), 'AS64500 is also listed for "Example Net" (isps[0]) at isps[0].asns[0]; an ASN belongs to one ISP once');
    assert.equal(problemFor(err, 'isps[2].asns[2]'), 'AS64501 is also listed for isps[2].asns[1]; an ASN belongs to one ISP once');
    assert.equal(problemFor(err, 'isps[3].name'), 'gives the id "example-net", which "Example Net" (isps[0]) has too; set a different id');
    assert.equal(err.problems.length, 6);
  });

  test('ISP names, ids and the need for at least one ASN or prefix', (t) => {
    const dir = tempDir(t);
    const err = configError(() =>
      loadText(dir, 'isps:\n  - name: "  "\n    asns: [64500]\n  - name: 日本ネット\n    asns: [64501]\n  - name: Empty Net\n  - name: Bad Id\n    id: Bad_Id\n    asns: [64502]\n  - asns: [64503]\n'),
    );
    assert.match(problemFor(err, 'isps[0].name'), /is empty; every ISP needs a name/);
    assert.match(problemFor(err, 'isps[1].name'), /no id can be made from "日本ネット"; add an id/);
    assert.equal(problemFor(err, 'isps[2]'), 'needs at least one ASN or prefix');
    assert.match(problemFor(err, 'isps[3].id'), /"Bad_Id" must be 1 to 63 lower-case letters/);
    assert.equal(problemFor(err, 'isps[4].name'), 'is required');
    const ok = loadText(dir, 'isps:\n  - name: 日本ネット\n    id: nihon-net\n    asns: [64501]\n');
    assert.equal(ok.isps[0]?.id, 'nihon-net');
  });

  test('wrong types say what was expected and what was found', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, 'isps:\n  name: Example Net\ngeo: []\nrdns:\n  enabled: yes\n  servers: 192.0.2.53\nsensors: [a]\nintake:\n  maxLineBytes: 1.5\n'));
    assert.equal(problemFor(err, 'isps'), 'expected a list, got a mapping');
    assert.equal(problemFor(err, 'geo'), 'expected a mapping (key: value), got a list');
    assert.equal(problemFor(err, 'rdns.enabled'), 'expected true or false, got "yes"');
    assert.equal(problemFor(err, 'rdns.servers'), 'expected a list, got "192.0.2.53"');
    assert.equal(problemFor(err, 'sensors'), 'expected a mapping (key: value), got a list');
    assert.equal(problemFor(err, 'intake.maxLineBytes'), 'expected a whole number, got 1.5');
  });

  test('bad resolvers, URLs, ports and log level', (t) => {
    const dir = tempDir(t);
    const err = configError(() =>
      loadText(
        dir,
        'rdns:\n  servers: [ns.example, "192.0.2.53:99999", "2001:db8::53:53", "[2001:db8::53]:0"]\n  timeoutMs: 60001\n' +
          'http:\n  port: 70000\n  publicUrl: ftp://cleancenter.example\n  trustProxy: [proxy.example, 10.0.0.1/8, "2001:DB8::1", 127.0.0.0/8]\nlogLevel: loud\n',
      ),
    );
    assert.match(problemFor(err, 'rdns.servers[0]'), /"ns\.example" is not an IP address/);
    assert.match(problemFor(err, 'rdns.servers[1]'), /has port 99999; use 1 to 65535/);
    // Without brackets the last group is part of the address, so this is a valid address on port 53.
    assert.deepEqual(checkResolver('2001:db8::53:53'), { ok: true, value: '[2001:db8::53:53]:53' });
    assert.match(problemFor(err, 'rdns.servers[3]'), /has port 0/);
    assert.match(problemFor(err, 'rdns.timeoutMs'), /60001 must be at most 60000/);
    assert.match(problemFor(err, 'http.port'), /70000 must be 0 to 65535/);
    assert.match(problemFor(err, 'http.publicUrl'), /"ftp:\/\/cleancenter\.example" must be an http:\/\/ or https:\/\/ URL/);
    assert.match(problemFor(err, 'http.trustProxy[0]'), /"proxy\.example" is not an IP address or CIDR prefix/);
    assert.match(problemFor(err, 'http.trustProxy[1]'), /host bits set; did you mean 10\.0\.0\.0\/8/);
    assert.ok(!err.problems.some((x) => x.key.startsWith('http.trustProxy[2]') || x.key.startsWith('http.trustProxy[3]')));
    assert.deepEqual(checkProxy('2001:DB8::1'), { ok: true, value: '2001:db8::1' });
    assert.match(problemFor(err, 'logLevel'), /"loud" must be one of fatal, error, warn, info/);
  });

  test('database: unsupported schemes, missing folder, a folder instead of a file', (t) => {
    const dir = tempDir(t);
    assert.match(problemFor(configError(() => loadText(dir, 'database: mysql://db.example/x\n')), 'database'), /unsupported scheme "mysql:"/);
    assert.match(problemFor(configError(() => loadText(dir, 'database: ""\n')), 'database'), /is empty/);
    assert.match(problemFor(configError(() => loadText(dir, 'database: no/such/folder/x.db\n')), 'database'), /the folder of .*no\/such\/folder\/x\.db does not exist/);
    mkdirSync(join(dir, 'dbdir'));
    assert.match(problemFor(configError(() => loadText(dir, 'database: dbdir\n')), 'database'), /is a folder; name a database file in it/);
    assert.match(problemFor(configError(() => loadText(dir, 'database: "postgres://"\n')), 'database'), /names no host|not a valid URL/);
  });

  test('geo files must exist; the message shows the resolved path', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, 'geo:\n  countryDb: geo/country.mmdb\n  asnDb: .\n'));
    assert.equal(problemFor(err, 'geo.countryDb'), `file not found: ${join(dir, 'geo', 'country.mmdb')}`);
    assert.equal(problemFor(err, 'geo.asnDb'), `${dir} is a folder, not a file`);
    assert.equal(err.problems.find((p) => p.key === 'geo.countryDb')?.line, 2);
  });

  test('every problem is listed at once, in file order, environment last', () => {
    const err = configError(() => loadConfig({ cwd: FIXTURES, path: 'many-problems.yaml', env: { CLEANCENTER_RDNS_ENABLED: 'maybe' } }));
    assert.deepEqual(
      err.problems.map((p) => p.key),
      [
        'homeCountry',
        'databse',
        'geo.countryDB',
        'rdns.enabled',
        'rdns.timeoutMs',
        'isps[0].asns[0]',
        'isps[0].prefixes[0]',
        'isps[1].name',
        'isps[1].prefixes[1]',
        'isps[2]',
        'logLevel',
        'CLEANCENTER_RDNS_ENABLED',
      ],
    );
    assert.equal(err.source, 'many-problems.yaml');
    assert.match(err.message, /^invalid configuration in many-problems\.yaml, 12 problems:\n/);
  });
});

describe('hostile and broken files', () => {
  test('YAML syntax error gives line and column', () => {
    const err = configError(() => loadConfig({ cwd: FIXTURES, path: 'syntax-error.yaml', env: {} }));
    assert.equal(err.problems.length, 1);
    const p = err.problems[0]!;
    assert.equal(p.key, '(yaml)');
    assert.equal(p.line, 5);
    assert.equal(typeof p.column, 'number');
    assert.match(err.message, /syntax-error\.yaml:5:\d+: \(yaml\): Flow sequence/);
  });

  test('duplicate keys and bad indentation are syntax errors with their line', (t) => {
    const dir = tempDir(t);
    const dup = configError(() => loadText(dir, 'homeCountry: JP\nlogLevel: info\nhomeCountry: DE\n'));
    assert.equal(dup.problems[0]?.line, 3);
    assert.match(dup.problems[0]!.problem, /unique/i);
    const indent = configError(() => loadText(dir, 'rdns:\n  enabled: true\n timeoutMs: 5\n'));
    assert.equal(indent.problems[0]?.key, '(yaml)');
    assert.equal(indent.problems[0]?.line, 3);
  });

  test('not a mapping, not UTF-8, too large, alias bomb', (t) => {
    const dir = tempDir(t);
    assert.match(configError(() => loadText(dir, '- homeCountry: JP\n')).message, /must be a YAML mapping of keys .*, not a list/);
    assert.match(configError(() => loadText(dir, 'just text\n')).message, /not "just text"/);
    writeFileSync(join(dir, 'cleancenter.yaml'), Buffer.from([0x68, 0x6f, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    assert.match(configError(() => loadConfig({ cwd: dir, env: {} })).message, /is not valid UTF-8 text/);
    writeFileSync(join(dir, 'cleancenter.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`);
    assert.match(configError(() => loadConfig({ cwd: dir, env: {} })).message, /is larger than 1048576 bytes/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    assert.match(configError(() => loadText(dir, `${bomb.join('\n')}\n`)).message, /cannot be read as YAML: Excessive alias count/);
  });

  test('a UTF-8 byte-order mark is accepted', (t) => {
    const dir = tempDir(t);
    assert.equal(loadText(dir, '\uFEFFhomeCountry: JP\n').homeCountry, 'JP');
  });
});

describe('environment and flags', () => {
  test('precedence: flag > environment > file > default, with sources recorded', (t) => {
    const dir = tempDir(t);
    writeFile(dir, 'cleancenter.yaml', `homeCountry: JP\ndatabase: file.db\nlogLevel: warn\n${ISP}`);
    const env = { CLEANCENTER_DB: 'env.db', CLEANCENTER_HOME_COUNTRY: 'DE', CLEANCENTER_RDNS_ENABLED: '1' };
    const onlyFile = loadConfigDetailed({ cwd: dir, env: {} });
    assert.equal(onlyFile.config.database, join(dir, 'file.db'));
    assert.equal(onlyFile.config.homeCountry, 'JP');
    const withEnv = loadConfigDetailed({ cwd: dir, env });
    assert.equal(withEnv.config.database, join(dir, 'env.db'));
    assert.equal(withEnv.config.homeCountry, 'DE');
    assert.equal(withEnv.config.rdns.enabled, true);
    assert.equal(withEnv.config.logLevel, 'warn');
    const withFlag = loadConfigDetailed({ cwd: dir, env, overrides: { database: 'flag.db', logLevel: 'error' } });
    assert.equal(withFlag.config.database, join(dir, 'flag.db'));
    assert.equal(withFlag.config.homeCountry, 'DE');
    assert.equal(withFlag.config.logLevel, 'error');

    const described = describeSources(withFlag);
    const source = (key: string): string | undefined => described.values.find((v) => v.key === key)?.source;
    assert.equal(described.file, join(dir, 'cleancenter.yaml'));
    assert.equal(source('database'), 'flag');
    assert.equal(source('homeCountry'), 'env CLEANCENTER_HOME_COUNTRY');
    assert.equal(source('rdns.enabled'), 'env CLEANCENTER_RDNS_ENABLED');
    assert.equal(source('isps'), 'file');
    assert.equal(source('rdns.timeoutMs'), 'default');
    assert.equal(source('logLevel'), 'flag');
  });

  test('booleans: true/false/1/0 in any case; anything else names the variable', (t) => {
    const dir = tempDir(t);
    for (const [text, value] of [['true', true], ['FALSE', false], ['1', true], ['0', false]] as const) {
      assert.equal(loadConfig({ cwd: dir, env: { CLEANCENTER_RDNS_ENABLED: text } }).rdns.enabled, value, text);
    }
    const err = configError(() => loadConfig({ cwd: dir, env: { CLEANCENTER_RDNS_ENABLED: 'yes' } }));
    assert.equal(problemFor(err, 'CLEANCENTER_RDNS_ENABLED'), '"yes" is not a boolean; use true, false, 1 or 0');
    assert.equal(err.source, '(no config file)');
    assert.equal(err.message, 'invalid configuration (no config file), 1 problem:\n  CLEANCENTER_RDNS_ENABLED: "yes" is not a boolean; use true, false, 1 or 0');
  });

  test('bad environment values are reported under the variable, not the key', (t) => {
    const dir = tempDir(t);
    const err = configError(() =>
      loadConfig({ cwd: dir, env: { CLEANCENTER_HOME_COUNTRY: 'jp', CLEANCENTER_GEO_ASN_DB: 'missing.csv', CLEANCENTER_LOG_LEVEL: 'chatty' } }),
    );
    assert.equal(problemFor(err, 'CLEANCENTER_HOME_COUNTRY'), '"jp" must be upper case; did you mean JP?');
    assert.equal(problemFor(err, 'CLEANCENTER_GEO_ASN_DB'), `file not found: ${join(dir, 'missing.csv')}`);
    assert.match(problemFor(err, 'CLEANCENTER_LOG_LEVEL'), /"chatty" must be one of/);
    const flag = configError(() => loadConfig({ cwd: dir, env: {}, overrides: { database: 'redis://x.example' } }));
    assert.match(problemFor(flag, 'database (from the command line)'), /unsupported scheme "redis:"/);
  });

  test('an empty variable counts as unset', (t) => {
    const dir = tempDir(t);
    const config = loadText(dir, `homeCountry: JP\n${ISP}`, { env: { CLEANCENTER_HOME_COUNTRY: '', CLEANCENTER_CONFIG: '' } });
    assert.equal(config.homeCountry, 'JP');
  });

  test('an environment override does not hide a broken section in the file', (t) => {
    const dir = tempDir(t);
    const err = configError(() => loadText(dir, 'geo: 5\n', { env: { CLEANCENTER_GEO_COUNTRY_DB: 'x.mmdb' } }));
    assert.equal(problemFor(err, 'geo'), 'expected a mapping (key: value), got 5');
  });
});

describe('relative paths', () => {
  test('file values resolve against the config folder; env and flag values against the working folder', (t) => {
    const root = tempDir(t);
    const etc = join(root, 'etc');
    const work = join(root, 'work');
    mkdirSync(join(etc, 'geo'), { recursive: true });
    mkdirSync(work);
    writeFileSync(join(etc, 'geo', 'country.mmdb'), 'x');
    writeFileSync(join(work, 'asn.csv'), 'x');
    writeFile(etc, 'cc.yaml', 'database: center.db\ngeo:\n  countryDb: geo/country.mmdb\n  asnDb: geo/missing.csv\n');
    const config = loadConfig({ cwd: work, path: '../etc/cc.yaml', env: { CLEANCENTER_GEO_ASN_DB: 'asn.csv' } });
    assert.equal(config.database, join(etc, 'center.db'));
    assert.equal(config.geo.countryDb, join(etc, 'geo', 'country.mmdb'));
    assert.equal(config.geo.asnDb, join(work, 'asn.csv'));
    const flagged = loadConfig({ cwd: work, path: '../etc/cc.yaml', env: { CLEANCENTER_GEO_ASN_DB: 'asn.csv' }, overrides: { database: 'local.db' } });
    assert.equal(flagged.database, join(work, 'local.db'));
  });

  test('the default database sits beside the config file that was read', (t) => {
    const root = tempDir(t);
    mkdirSync(join(root, 'etc'));
    writeFile(join(root, 'etc'), 'cc.yaml', 'logLevel: warn\n');
    assert.equal(loadConfig({ cwd: root, path: 'etc/cc.yaml', env: {} }).database, join(root, 'etc', 'cleancenter.db'));
  });

  test('absolute paths, :memory: and postgres URLs are kept as they are', (t) => {
    const dir = tempDir(t);
    assert.equal(loadText(dir, `database: ${join(dir, 'abs.db')}\n`).database, join(dir, 'abs.db'));
    assert.equal(loadText(dir, 'database: ":memory:"\n').database, ':memory:');
    const url = 'postgres://cc:s3cret@db.example:5432/cleancenter';
    const loaded = loadConfigDetailed({ cwd: dir, env: { CLEANCENTER_DB: url } });
    assert.equal(loaded.config.database, url);
    const shown = describeSources(loaded).values.find((v) => v.key === 'database');
    assert.deepEqual(shown, { key: 'database', value: 'postgres://cc:***@db.example:5432/cleancenter', source: 'env CLEANCENTER_DB' });
  });
});

describe('helpers', () => {
  test('isPostgresUrl', () => {
    assert.equal(isPostgresUrl('postgres://db.example/x'), true);
    assert.equal(isPostgresUrl('postgresql://db.example/x'), true);
    assert.equal(isPostgresUrl('POSTGRES://db.example/x'), true);
    assert.equal(isPostgresUrl('./postgres.db'), false);
    assert.equal(isPostgresUrl('postgres.db'), false);
    assert.equal(isPostgresUrl('mysql://db.example/x'), false);
  });

  test('redactDatabase hides only the password', () => {
    assert.equal(redactDatabase('postgresql://u:p@db.example/x?sslmode=require'), 'postgresql://u:***@db.example/x?sslmode=require');
    assert.equal(redactDatabase('postgres://u@db.example/x'), 'postgres://u@db.example/x');
    assert.equal(redactDatabase('/var/lib/cc.db'), '/var/lib/cc.db');
  });

  test('slugify and keyPath', () => {
    assert.equal(slugify('  Example Net (West) '), 'example-net-west');
    assert.equal(slugify('Ümlaut Telekom'), 'umlaut-telekom');
    assert.equal(slugify('日本'), '');
    assert.equal(keyPath(['isps', 1, 'prefixes', 0]), 'isps[1].prefixes[0]');
    assert.equal(keyPath([]), '(top level)');
  });
});

function writeFile(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
