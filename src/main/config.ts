/**
 * The one configuration file: schema, defaults, environment overrides and error reporting.
 *
 * A wrong configuration must stop cleancenter at start with every problem listed, each naming
 * its key (or environment variable), its file line where known, and what to write instead.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { parseIp, parsePrefix } from '../domain/ip.js';
import { STARTER_CONFIG } from './config-starter.js';

/** The file looked for in the working folder when neither --config nor CLEANCENTER_CONFIG is given. */
export const DEFAULT_CONFIG_FILE = 'cleancenter.yaml';

/** A config file larger than this is not a config file; refusing it keeps a wrong --config cheap. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const DEFAULT_DATABASE = './cleancenter.db';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// ---------------------------------------------------------------------------------------------
// Field checks. Each returns the normalised value or a problem sentence; strict, but the sentence
// says what to write instead.

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (problem: string): Checked<never> => ({ ok: false, problem });

/** ISO 3166-1 alpha-2, officially assigned codes only. */
const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV ' +
    'BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ' +
    'ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE ' +
    'IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
    'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU ' +
    'NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM ' +
    'SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE ' +
    'VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);
/** Codes people write that ISO reserves for something else. */
const COUNTRY_HINTS: Record<string, string> = { UK: 'GB', EL: 'GR' };

export function checkCountry(s: string): Checked<string> {
  const upper = s.toUpperCase();
  if (!/^[A-Za-z]{2}$/.test(s)) {
    return bad(`${quote(s)} is not a two-letter ISO 3166-1 alpha-2 country code (e.g. JP, DE, US)`);
  }
  const hint = COUNTRY_HINTS[upper];
  if (hint !== undefined) return bad(`${quote(s)} is not an ISO 3166-1 code; did you mean ${hint}?`);
  // ISO 3166-1 leaves AA, QM–QZ, XA–XZ and ZZ to private use: labs and the bundled demo use them.
  const privateUse = upper === 'AA' || upper === 'ZZ' || /^Q[M-Z]$/.test(upper) || /^X[A-Z]$/.test(upper);
  if (!COUNTRIES.has(upper) && !privateUse) return bad(`${quote(s)} is not an assigned ISO 3166-1 alpha-2 country code (nor a private-use one: AA, QM–QZ, XA–XZ, ZZ)`);
  if (s !== upper) return bad(`${quote(s)} must be upper case; did you mean ${upper}?`);
  return ok(s);
}

export function checkAsn(v: unknown): Checked<number> {
  if (typeof v === 'string') {
    const m = /^(?:AS)?\s*(\d+)$/i.exec(v.trim());
    return bad(m ? `${quote(v)} is text; write the number ${m[1]}` : `${quote(v)} is not an AS number`);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4294967295) {
    return bad(`${describe(v)} is not an AS number (a whole number from 1 to 4294967295)`);
  }
  return ok(v);
}

/** A network prefix in canonical text, e.g. "2001:db8:1::/48". */
export function checkPrefix(s: string): Checked<string> {
  if (!s.includes('/')) {
    const ip = parseIp(s);
    if (ip === null) return bad(`${quote(s)} is not a CIDR prefix (e.g. 192.0.2.0/24 or 2001:db8::/32)`);
    return bad(`${quote(s)} has no prefix length; write ${ip.text}/${ip.version === 4 ? 32 : 128} for one address`);
  }
  const strict = parsePrefix(s);
  if (strict.ok) return ok(strict.prefix.text);
  const cleared = parsePrefix(s, { hostBits: 'clear' });
  if (cleared.ok) return bad(`${quote(s)} has host bits set; did you mean ${cleared.prefix.text}?`);
  // The domain reason repeats the input; the key and the quoted value already say it.
  return bad(`${quote(s)} is not a CIDR prefix: ${strict.reason.replace(/ in (?:prefix )?"[^"]*"$/, '')}`);
}

/** A trusted proxy: one address ("192.0.2.10", "::1") or a prefix ("10.0.0.0/8"), canonical text. */
export function checkProxy(s: string): Checked<string> {
  if (s.includes('/')) return checkPrefix(s);
  const ip = parseIp(s);
  return ip === null ? bad(`${quote(s)} is not an IP address or CIDR prefix (e.g. 127.0.0.1 or 10.0.0.0/8)`) : ok(ip.text);
}

/**
 * A DNS resolver given as "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353",
 * returned as canonical "address:port" ("[v6]:port"), the form node:dns setServers takes.
 */
export function checkResolver(s: string): Checked<string> {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s) ?? /^(.+)()$/.exec(s);
  const hostText = m?.[1] ?? '';
  const ip = parseIp(hostText);
  if (ip === null) return bad(`${quote(s)} is not an IP address with an optional port (192.0.2.53:53, [2001:db8::53]:53)`);
  if (ip.version === 6 && !s.startsWith('[') && s !== hostText) {
    return bad(`${quote(s)}: put an IPv6 address in brackets when giving a port, e.g. [${ip.text}]:53`);
  }
  const portText = m?.[2] ?? '';
  const port = portText === '' ? 53 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return bad(`${quote(s)} has port ${portText}; use 1 to 65535`);
  return ok(ip.version === 6 ? `[${ip.text}]:${port}` : `${ip.text}:${port}`);
}

/** True for a PostgreSQL connection URL; anything else in `database` is a SQLite file path. */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(s);
}

/** The database setting with any password replaced, for logs and `cleancenter config`. */
export function redactDatabase(s: string): string {
  if (!isPostgresUrl(s)) return s;
  try {
    const u = new URL(s);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return s.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export function checkDatabase(s: string): Checked<string> {
  if (s.trim() === '') return bad('is empty; give a SQLite file path or a postgres:// URL');
  if (isPostgresUrl(s)) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return bad(`${quote(redactDatabase(s))} is not a valid URL`);
    }
    if (u.hostname === '' && !u.searchParams.has('host')) return bad(`${quote(redactDatabase(s))} names no host`);
    return ok(s);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (scheme) {
    return bad(`unsupported scheme "${scheme[1]}:"; use a SQLite file path or a postgres:// URL`);
  }
  return ok(s);
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The default ISP id: the name in lower-case ASCII letters and digits joined by "-"; "" when none. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

function checked<I, T>(check: (v: I) => Checked<T>) {
  return (v: I, ctx: z.RefinementCtx<I>): T => {
    const r = check(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.problem });
    return z.NEVER;
  };
}

// ---------------------------------------------------------------------------------------------
// The schema. Strict objects everywhere: an unknown key is a typo until proven otherwise.

const nullablePath = z.string().min(1, 'is empty; give a file path or null').nullable().default(null);

const ispSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is empty; every ISP needs a name').max(200, 'is longer than 200 characters'),
    id: z.string().regex(SLUG, 'must be 1 to 63 lower-case letters, digits and "-", not starting or ending with "-"').optional(),
    asns: z.array(z.unknown().transform(checked(checkAsn))).default([]),
    prefixes: z.array(z.string().transform(checked(checkPrefix))).default([]),
  })
  // An empty derived id is reported by checkIsps; it never leaves loadConfig.
  .transform((isp) => ({ name: isp.name, id: isp.id ?? slugify(isp.name), asns: isp.asns, prefixes: isp.prefixes }));

export const configSchema = z.strictObject({
  /** ISO 3166-1 alpha-2 country of the center; null leaves home-country figures out. */
  homeCountry: z.string().transform(checked(checkCountry)).nullable().default(null),
  /** A SQLite file path (absolute after loading) or a postgres:// URL. */
  database: z.string().transform(checked(checkDatabase)).default(DEFAULT_DATABASE),
  geo: z
    .strictObject({
      /** MaxMind-format country .mmdb (absolute after loading); null = the bundled GeoLite2 database. */
      countryDb: nullablePath,
      /** IP-range CSV/TSV or ASN .mmdb (absolute after loading); null = the bundled @ip-location-db/asn CSVs. */
      asnDb: nullablePath,
    })
    .prefault({}),
  rdns: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Canonical "192.0.2.53:53" / "[2001:db8::53]:53"; empty = the system resolvers. */
      servers: z.array(z.string().transform(checked(checkResolver))).default([]),
      timeoutMs: z.number().int('must be a whole number').min(100, 'must be at least 100').max(60000, 'must be at most 60000').default(2000),
    })
    .prefault({}),
  isps: z.array(ispSchema).default([]),
  /** Sensor name -> description. */
  sensors: z.record(z.string().min(1, 'a sensor name must not be empty'), z.string().max(500, 'is longer than 500 characters')).default({}),
  intake: z
    .strictObject({
      maxLineBytes: z
        .number()
        .int('must be a whole number')
        .min(1024, 'must be at least 1024')
        .max(1073741824, 'must be at most 1073741824 (1 GiB)')
        .default(1048576),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().min(1, 'is empty; use an address such as 127.0.0.1 or ::').default('127.0.0.1'),
      /** 0 picks a free port (tests). */
      port: z.number().int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be 0 to 65535').default(8080),
      /** Base URL for links in warnings; null = http://host:port. No trailing slash after loading. */
      publicUrl: z
        .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
        .transform((u) => u.replace(/\/+$/, ''))
        .nullable()
        .default(null),
      /**
       * Reverse proxies in front of `serve` (addresses or CIDR prefixes). Only a request from one of
       * them may set the client address with X-Forwarded-For (rate limits and logs use it); empty =
       * the socket's address always.
       */
      trustProxy: z.array(z.string().transform(checked(checkProxy))).default([]),
    })
    .prefault({}),
  /** The center's ISP workflow (src/workflow). */
  workflow: z
    .strictObject({
      /** Sightings of one source further apart than this many days are separate infection episodes (incidents). */
      episodeGapDays: z.number().positive('must be more than 0').max(365, 'must be at most 365').default(7),
      /** An identified incident whose source is quiet this many days is remediated. */
      remediationDays: z.number().int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').default(30),
      /** Largest ISP answer upload accepted. */
      answerMaxRows: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000_000, 'must be at most 10000000').default(200_000),
      answerMaxBytes: z.number().int('must be a whole number').min(1024, 'must be at least 1024').max(1_073_741_824, 'must be at most 1073741824').default(33_554_432),
    })
    .prefault({}),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});

/** The validated configuration. File paths in it are absolute. */
export type Config = z.infer<typeof configSchema>;
export type IspConfig = Config['isps'][number];

// ---------------------------------------------------------------------------------------------
// Errors

export interface ConfigProblem {
  /** Dotted key path with indices ("isps[1].prefixes[0]"), or the environment variable that set it. */
  readonly key: string;
  readonly problem: string;
  /** 1-based position in the config file, when the problem is in the file. */
  readonly line?: number;
  readonly column?: number;
}

/** An expected failure: the user's configuration is wrong. The message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /** The config file as the user named it, or "(no config file)". */
  readonly source: string;

  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(formatProblems(source, problems));
    this.source = source;
    this.problems = problems;
  }
}

const MAX_LISTED = 50;

function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const n = problems.length;
  const lines = problems.slice(0, MAX_LISTED).map((p) => {
    const at = p.line !== undefined ? `${source}:${p.line}:${p.column ?? 1}: ` : '';
    return `  ${at}${p.key}: ${p.problem}`;
  });
  if (n > MAX_LISTED) lines.push(`  … and ${n - MAX_LISTED} more`);
  const where = source.startsWith('(') ? source : `in ${source}`;
  return `invalid configuration ${where}, ${n} problem${n === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Loading

export type ValueSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file' }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag' };

/** Values given on the command line; they win over the environment and the file. */
export interface ConfigOverrides {
  readonly database?: string;
  readonly homeCountry?: string;
  readonly logLevel?: string;
}

export interface LoadConfigOptions {
  /** The config file from --config. Must exist. */
  readonly path?: string;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly overrides?: ConfigOverrides;
  /** Defaults to process.cwd(). */
  readonly cwd?: string;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Absolute path of the file read, or null when none was found (defaults apply). */
  readonly file: string | null;
  /** Where each overridable or file-given key came from, by dotted key path. */
  readonly sources: ReadonlyMap<string, ValueSource>;
}

type Parse = 'string' | 'boolean';

/** Environment variables that override keys. Exported so that `--help` and docs can list them. */
export const ENV_OVERRIDES: readonly { readonly name: string; readonly key: readonly string[]; readonly parse: Parse }[] = [
  { name: 'CLEANCENTER_DB', key: ['database'], parse: 'string' },
  { name: 'CLEANCENTER_HOME_COUNTRY', key: ['homeCountry'], parse: 'string' },
  { name: 'CLEANCENTER_GEO_COUNTRY_DB', key: ['geo', 'countryDb'], parse: 'string' },
  { name: 'CLEANCENTER_GEO_ASN_DB', key: ['geo', 'asnDb'], parse: 'string' },
  { name: 'CLEANCENTER_RDNS_ENABLED', key: ['rdns', 'enabled'], parse: 'boolean' },
  { name: 'CLEANCENTER_LOG_LEVEL', key: ['logLevel'], parse: 'string' },
];

/** Load and validate the configuration. Throws ConfigError listing every problem. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  return loadConfigDetailed(opts).config;
}

/** As loadConfig, but also says which file was read and where each value came from. */
export function loadConfigDetailed(opts: LoadConfigOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = locateConfigFile(opts.path, env, cwd);
  const display = file === null ? '(no config file)' : displayPath(file, cwd);
  const problems: ConfigProblem[] = [];

  let raw: Record<string, unknown> = {};
  let doc: Document | null = null;
  const lines = new LineCounter();
  if (file !== null) {
    const read = readConfigFile(file, display, lines);
    doc = read.doc;
    raw = read.raw;
  }

  const sources = new Map<string, ValueSource>();
  for (const key of Object.keys(raw)) sources.set(key, { kind: 'file' });
  for (const section of ['geo', 'rdns', 'intake', 'http']) {
    const v = raw[section];
    if (isRecord(v)) for (const key of Object.keys(v)) sources.set(`${section}.${key}`, { kind: 'file' });
  }

  // Overrides replace file values in the raw tree before validation, so one schema checks them all.
  const merged = structuredClone(raw);
  dropEmptyCollections(merged);
  for (const o of ENV_OVERRIDES) {
    const text = env[o.name];
    if (text === undefined || text === '') continue; // an empty variable is unset, as in most tools
    let value: unknown = text;
    if (o.parse === 'boolean') {
      const b = parseBoolean(text);
      if (b === null) {
        problems.push({ key: o.name, problem: `${quote(text)} is not a boolean; use true, false, 1 or 0` });
        continue;
      }
      value = b;
    }
    if (setIn(merged, o.key, value)) sources.set(o.key.join('.'), { kind: 'env', name: o.name });
  }
  for (const [k, v] of Object.entries(opts.overrides ?? {})) {
    if (v !== undefined && setIn(merged, [k], v)) sources.set(k, { kind: 'flag' });
  }

  const where = (path: readonly PropertyKey[]): { key: string; line?: number; column?: number } => {
    const src = sourceOf(sources, path);
    if (src?.kind === 'env') return { key: src.name };
    if (src?.kind === 'flag') return { key: `${keyPath(path)} (from the command line)` };
    return { key: keyPath(path), ...positionOf(doc, lines, path) };
  };

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...issueProblems(issue, merged, doc, lines, where));
  }
  problems.push(...checkIsps(merged['isps'], where));

  // Relative paths: from the file, against its folder; from env or flag, against the working folder.
  const base = (key: string): string => {
    const s = sources.get(key)?.kind ?? 'default';
    return s === 'env' || s === 'flag' || file === null ? cwd : dirname(file);
  };
  const paths = localPaths(merged, base);
  problems.push(...checkFiles(paths, where));

  if (problems.length === 0 && parsed.success) {
    const config = parsed.data;
    config.database = paths.database ?? config.database;
    config.geo.countryDb = paths.countryDb;
    config.geo.asnDb = paths.asnDb;
    return { config, file, sources };
  }
  throw new ConfigError(display, dedupe(sortProblems(problems)));
}

interface LocalPaths {
  /** Absolute SQLite path; null for a URL, ":memory:" or an invalid value. */
  readonly database: string | null;
  readonly countryDb: string | null;
  readonly asnDb: string | null;
}

/** Absolute forms of the file paths in the unvalidated tree; values the schema rejects come out null. */
function localPaths(tree: Record<string, unknown>, base: (key: string) => string): LocalPaths {
  const path = (key: string, v: unknown): string | null => (typeof v === 'string' && v !== '' ? resolve(base(key), v) : null);
  const db = tree['database'] ?? DEFAULT_DATABASE;
  const sqlite = typeof db === 'string' && checkDatabase(db).ok && !isPostgresUrl(db) && db !== ':memory:';
  const geo = isRecord(tree['geo']) ? tree['geo'] : {};
  return {
    database: sqlite ? path('database', db) : null,
    countryDb: path('geo.countryDb', geo['countryDb']),
    asnDb: path('geo.asnDb', geo['asnDb']),
  };
}

/** The config file to read: --config, else CLEANCENTER_CONFIG, else ./cleancenter.yaml when present. */
function locateConfigFile(path: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const named = path ?? (env['CLEANCENTER_CONFIG'] === '' ? undefined : env['CLEANCENTER_CONFIG']);
  const via = path !== undefined ? '--config' : 'CLEANCENTER_CONFIG';
  if (named !== undefined) {
    const abs = resolve(cwd, named);
    const kind = fileKind(abs);
    if (kind === 'missing') throw new ConfigError(named, [{ key: via, problem: `file not found: ${abs}` }]);
    if (kind === 'folder') throw new ConfigError(named, [{ key: via, problem: `${abs} is a folder, not a file` }]);
    return abs;
  }
  const abs = resolve(cwd, DEFAULT_CONFIG_FILE);
  if (fileKind(abs) !== 'missing') return abs;
  // A .yml next to us would otherwise be ignored without a word.
  const yml = resolve(cwd, 'cleancenter.yml');
  if (fileKind(yml) !== 'missing') {
    throw new ConfigError(displayPath(yml, cwd), [
      { key: '(file)', problem: `cleancenter reads ${DEFAULT_CONFIG_FILE}; rename the file or pass --config ${yml}` },
    ]);
  }
  return null;
}

function fileKind(p: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

function readConfigFile(file: string, display: string, lines: LineCounter): { doc: Document; raw: Record<string, unknown> } {
  const fail = (problem: string, line?: number, column?: number): never => {
    throw new ConfigError(display, [{ key: '(file)', problem, ...(line !== undefined ? { line, column } : {}) }]);
  };
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES) fail(`is larger than ${MAX_CONFIG_BYTES} bytes; is it really the config file?`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    return fail(`cannot be read: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail('is not valid UTF-8 text');
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      display,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { key: '(yaml)', problem: firstLine(e.message), line: pos.line, column: pos.col };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail(`cannot be read as YAML: ${firstLine((e as Error).message)}`);
  }
  if (value === null || value === undefined) return { doc, raw: {} };
  if (!isRecord(value)) return fail(`must be a YAML mapping of keys (homeCountry: JP, …), not ${describe(value)}`, 1, 1);
  return { doc, raw: value };
}

/**
 * "isps:" or "sensors:" with every entry commented out is YAML null. That means "none", not a
 * type error, so such keys are dropped and their empty defaults apply.
 */
function dropEmptyCollections(tree: Record<string, unknown>): void {
  const drop = (o: Record<string, unknown>, keys: readonly string[]): void => {
    for (const k of keys) if (o[k] === null) delete o[k];
  };
  drop(tree, ['geo', 'rdns', 'isps', 'sensors', 'intake', 'http', 'workflow']);
  if (isRecord(tree['rdns'])) drop(tree['rdns'], ['servers']);
  if (Array.isArray(tree['isps'])) for (const isp of tree['isps']) if (isRecord(isp)) drop(isp, ['asns', 'prefixes']);
}

function parseBoolean(s: string): boolean | null {
  const t = s.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Checks across entries, run on the unvalidated tree so that they report alongside field errors.

type Where = (path: readonly PropertyKey[]) => { key: string; line?: number; column?: number };

function checkIsps(isps: unknown, where: Where): ConfigProblem[] {
  if (!Array.isArray(isps)) return [];
  const out: ConfigProblem[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  const prefixes = new Map<string, [number, number]>();
  const asns = new Map<number, [number, number]>();
  const label = (i: number): string => {
    const isp: unknown = isps[i];
    const name = isRecord(isp) && typeof isp['name'] === 'string' ? isp['name'].trim() : '';
    return name === '' ? `isps[${i}]` : `"${name}" (isps[${i}])`;
  };
  isps.forEach((isp: unknown, i) => {
    if (!isRecord(isp)) return;
    const name = typeof isp['name'] === 'string' ? isp['name'].trim() : '';
    let nameTaken = false;
    if (name !== '') {
      const key = name.toLowerCase();
      const first = names.get(key);
      nameTaken = first !== undefined;
      if (first !== undefined) out.push({ ...where(['isps', i, 'name']), problem: `${quote(name)} is also the name of isps[${first}]; ISP names must be unique` });
      else names.set(key, i);
    }
    const explicitId = typeof isp['id'] === 'string' ? isp['id'] : undefined;
    // A duplicate name already explains its duplicate derived id.
    const id = explicitId ?? (name !== '' && !nameTaken ? slugify(name) : undefined);
    if (id === '') {
      out.push({ ...where(['isps', i, 'name']), problem: `no id can be made from ${quote(name)}; add an id (lower-case letters, digits and "-")` });
    } else if (id !== undefined && SLUG.test(id)) {
      const first = ids.get(id);
      const path = explicitId !== undefined ? ['isps', i, 'id'] : ['isps', i, 'name'];
      if (first !== undefined) {
        out.push({ ...where(path), problem: `gives the id "${id}", which ${label(first)} has too; set a different id` });
      } else ids.set(id, i);
    }
    const ps = Array.isArray(isp['prefixes']) ? isp['prefixes'] : [];
    const as = Array.isArray(isp['asns']) ? isp['asns'] : [];
    // A wrongly typed list is reported by the schema; "needs one" would only add noise.
    if (ps.length === 0 && as.length === 0 && !isDefinedNonArray(isp, 'prefixes') && !isDefinedNonArray(isp, 'asns')) {
      out.push({ ...where(['isps', i]), problem: 'needs at least one ASN or prefix' });
    }
    // A prefix or ASN names one ISP; listing it twice, even in the same ISP, is a slip worth showing.
    const claim = <K>(seen: Map<K, [number, number]>, value: K, shown: string, list: 'prefixes' | 'asns', k: number): void => {
      const first = seen.get(value);
      if (first === undefined) {
        seen.set(value, [i, k]);
        return;
      }
      const firstAt = `isps[${first[0]}].${list}[${first[1]}]`;
      const other = first[0] === i ? firstAt : `${label(first[0])} at ${firstAt}`;
      const what = list === 'asns' ? 'an ASN' : 'a prefix';
      out.push({ ...where(['isps', i, list, k]), problem: `${shown} is also listed for ${other}; ${what} belongs to one ISP once` });
    };
    ps.forEach((p: unknown, k) => {
      const c = typeof p === 'string' ? checkPrefix(p) : null;
      if (c?.ok) claim(prefixes, c.value, c.value, 'prefixes', k);
    });
    as.forEach((a: unknown, k) => {
      const c = checkAsn(a);
      if (c.ok) claim(asns, c.value, `AS${c.value}`, 'asns', k);
    });
  });
  return out;
}

function isDefinedNonArray(o: Record<string, unknown>, k: string): boolean {
  return o[k] !== undefined && !Array.isArray(o[k]);
}

/** Data files must exist now, not at the first lookup an hour into an import. */
function checkFiles(paths: LocalPaths, where: Where): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const mustBeFile = (key: string[], p: string | null): void => {
    if (p === null) return;
    const kind = fileKind(p);
    if (kind === 'missing') out.push({ ...where(key), problem: `file not found: ${p}` });
    if (kind === 'folder') out.push({ ...where(key), problem: `${p} is a folder, not a file` });
  };
  mustBeFile(['geo', 'countryDb'], paths.countryDb);
  mustBeFile(['geo', 'asnDb'], paths.asnDb);
  const db = paths.database;
  // SQLite creates the file but not its folder; a typo in the folder should fail now, not at first write.
  if (db !== null) {
    if (fileKind(db) === 'folder') out.push({ ...where(['database']), problem: `${db} is a folder; name a database file in it` });
    else if (fileKind(dirname(db)) !== 'folder') out.push({ ...where(['database']), problem: `the folder of ${db} does not exist` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Turning zod issues into problems

function issueProblems(issue: z.core.$ZodIssue, tree: unknown, doc: Document | null, lines: LineCounter, where: Where): ConfigProblem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => {
      const known = knownKeys(path);
      const hint = suggest(k, known);
      const loc = keyPosition(doc, lines, path, k);
      return {
        key: keyPath([...path, k]),
        problem: `unknown key${hint ? `; did you mean "${hint}"?` : known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`,
        ...loc,
      };
    });
  }
  const value = getIn(tree, path);
  let problem: string;
  if (issue.code === 'invalid_type') {
    problem = value === undefined ? 'is required' : `expected ${typeName(issue.expected)}, got ${describe(value)}`;
  } else if (issue.code === 'invalid_format' ||
    issue.code === 'invalid_value' || issue.code === 'too_small' || issue.code === 'too_big') {
    problem = value === undefined ? issue.message : `${describe(value)} ${issue.message}`;
  } else {
    problem = issue.message;
  }
  return [{ ...where(path), problem }];
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    default:
      return expected;
  }
}

/** The keys the schema allows at an object path, for "did you mean" hints. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let s: unknown = configSchema;
  for (const seg of [...path, null]) {
    // Unwrap defaults, pipes (transforms), optionals and nullables to the structural schema.
    for (;;) {
      const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (def === undefined) return [];
      const t = def['type'];
      if (t === 'default' || t === 'prefault' || t === 'optional' || t === 'nullable') s = def['innerType'];
      else if (t === 'pipe') s = def['in'];
      else break;
    }
    const def = (s as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (seg === null) return def['type'] === 'object' ? Object.keys(def['shape'] as object) : [];
    if (def['type'] === 'object') s = (def['shape'] as Record<string, unknown>)[String(seg)];
    else if (def['type'] === 'array') s = def['element'];
    else if (def['type'] === 'record') s = def['valueType'];
    else return [];
  }
  return [];
}

function suggest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const same = known.find((k) => norm(k) === norm(key));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestD = Math.min(3, Math.floor(key.length / 3) + 1);
  for (const k of known) {
    const d = editDistance(norm(key), norm(k));
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// Key paths, positions and sources

/** "isps[1].prefixes[0]" */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out === '' ? '(top level)' : out;
}

function positionOf(doc: Document | null, lines: LineCounter, path: readonly PropertyKey[]): { line?: number; column?: number } {
  if (doc === null) return {};
  // A missing key has no node; its nearest present parent is where it should go.
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const p = lines.linePos(range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return {};
}

function keyPosition(doc: Document | null, lines: LineCounter, path: readonly PropertyKey[], key: string): { line?: number; column?: number } {
  if (doc === null) return {};
  const map: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
        const p = lines.linePos(pair.key.range[0]);
        return { line: p.line, column: p.col };
      }
    }
  }
  return positionOf(doc, lines, path);
}

function sourceOf(sources: ReadonlyMap<string, ValueSource>, path: readonly PropertyKey[]): ValueSource | undefined {
  for (let n = path.length; n > 0; n--) {
    if (path.slice(0, n).some((s) => typeof s !== 'string')) continue;
    const s = sources.get(path.slice(0, n).join('.'));
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Set a nested key, creating missing sections. False when a section in the way is not a mapping (the schema reports that). */
function setIn(tree: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node = tree;
  for (const seg of path.slice(0, -1)) {
    const next = node[seg];
    if (next === undefined || next === null) node[seg] = {};
    else if (!isRecord(next)) return false;
    node = node[seg] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return true;
}

function getIn(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  // File problems in file order first, then environment and flag problems.
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map((x) => x.p);
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.key}\u0000${p.problem}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Starter and description

/** The commented starter YAML that `cleancenter init` writes. Valid under configSchema. */
export function starterConfig(): string {
  return STARTER_CONFIG;
}

/**
 * Write the starter config; refuses to replace an existing file unless force. The file is made
 * readable by its owner only, because a postgres:// URL in it may carry a password.
 * Returns the absolute path written.
 */
export function writeStarterConfig(path: string, opts: { force?: boolean; cwd?: string } = {}): string {
  const abs = resolve(opts.cwd ?? process.cwd(), path);
  try {
    writeFileSync(abs, STARTER_CONFIG, { flag: opts.force ? 'w' : 'wx', mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === 'EEXIST'
        ? `${abs} already exists; use --force to overwrite it`
        : code === 'ENOENT'
          ? `the folder ${dirname(abs)} does not exist`
          : `cannot write ${abs}: ${(e as Error).message}`;
    throw new ConfigError(path, [{ key: '(file)', problem }]);
  }
  return abs;
}

export interface SourceDescription {
  readonly key: string;
  readonly value: unknown;
  /** "default", "file", "env CLEANCENTER_DB" or "flag". */
  readonly source: string;
}

/** Every top-level and section key with its value (database password redacted) and origin, for `cleancenter config --json`. */
export function describeSources(loaded: LoadedConfig): { file: string | null; values: SourceDescription[] } {
  const values: SourceDescription[] = [];
  const add = (key: string, value: unknown): void => {
    const s = loaded.sources.get(key);
    const source = s === undefined ? 'default' : s.kind === 'env' ? `env ${s.name}` : s.kind;
    values.push({ key, value, source });
  };
  for (const [k, v] of Object.entries(loaded.config)) {
    if (k === 'database') add(k, redactDatabase(v as string));
    else if (k === 'geo' || k === 'rdns' || k === 'intake' || k === 'http') {
      for (const [k2, v2] of Object.entries(v as object)) add(`${k}.${k2}`, v2);
    } else add(k, v);
  }
  return { file: loaded.file, values };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
