/**
 * The ISP client's own configuration file (isp-client.yaml). It lives at the ISP, next to the
 * client's SQLite file, and is separate from the center's cleancenter.yaml.
 */
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { UserError } from '../domain/errors.js';
import { ISP_CLIENT_STARTER } from './config-starter.js';

export const DEFAULT_ISP_CONFIG_FILE = 'isp-client.yaml';

/** Secrets may come from the environment so that the file can be kept readable. */
export const ISP_ENV = {
  token: 'CLEANCENTER_ISP_TOKEN',
  keySecret: 'CLEANCENTER_ISP_KEY_SECRET',
  smtpPass: 'CLEANCENTER_ISP_SMTP_PASS',
  config: 'CLEANCENTER_ISP_CONFIG',
} as const;

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const MAX_CONFIG_BYTES = 1024 * 1024;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((u) => u.replace(/\/+$/, ''));

const lookupSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('csv'),
      /** ip,port_from,port_to,valid_from,valid_to,customer_number,email,postal_address,name,language,default_mail_unchanged */
      file: z.string().min(1, 'is empty; give the CSV file path'),
    }),
    z.strictObject({
      kind: z.literal('sql'),
      /** A SQLite file (opened read-only) or a postgres:// URL. */
      database: z.string().min(1, 'is empty; give a SQLite file path or a postgres:// URL'),
      /** Named parameters :ip, :port and :time are bound, never pasted into the text. */
      query: z.string().min(1, 'is empty; give a SELECT with :ip, :port and :time'),
    }),
    z.strictObject({
      kind: z.literal('script'),
      /** Program and arguments; run without a shell. */
      command: z.array(z.string().min(1)).min(1, 'needs at least the program to run'),
      timeoutMs: z.number().int().min(100).max(120_000).default(5000),
    }),
  ],
  { error: 'lookup.kind must be csv, sql or script' },
);

export const ispClientConfigSchema = z.strictObject({
  /** The ISP's name as subscribers know it, used in notices. */
  ispName: z.string().trim().min(1, 'is empty; the notices are signed with it'),
  center: z.strictObject({
    /** The center's base URL; the client calls <url>/api/isp/v1/…. */
    url: httpUrl,
    /** null: taken from CLEANCENTER_ISP_TOKEN. Never logged. */
    token: z.string().min(16, 'looks too short for an API token').nullable().default(null),
    /** The public site where a notice can be checked (/check?ticket=…); null = center.url. */
    publicUrl: httpUrl.nullable().default(null),
    timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  }),
  /** The client's own SQLite file (relative to this config file). */
  database: z.string().min(1).default('./isp-client.db'),
  /** null: taken from CLEANCENTER_ISP_KEY_SECRET. Changing it changes every subscriber key. */
  subscriberKeySecret: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').nullable().default(null),
  lookup: lookupSchema,
  /** At most this many observations of one incident are looked up. */
  maxObservationsPerItem: z.number().int().min(1).max(1000).default(20),
  defaultLanguage: z.enum(LANGUAGES, { error: 'must be ja or en' }).default('ja'),
  notices: z
    .strictObject({
      weekday: z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }).default('wednesday'),
      /** Local hour (0–23) from which the weekly run may send. */
      hour: z.number().int().min(0).max(23).default(10),
      timezone: z.string().min(1).refine(isTimeZone, 'is not a time zone name (e.g. Asia/Tokyo, UTC)').default('Asia/Tokyo'),
      /** A subscriber gets at most one e-mail notice in this many days. */
      minDaysBetween: z.number().int().min(1).max(60).default(6),
      /** A line with the ISP's contact for questions, printed in every notice. */
      contact: z.string().max(500).default(''),
    })
    .prefault({}),
  smtp: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      /** true = TLS from the first byte (port 465); false = STARTTLS when offered. */
      secure: z.boolean().default(false),
      auth: z
        .strictObject({ user: z.string().min(1), pass: z.string().nullable().default(null) })
        .nullable()
        .default(null),
      from: z.string().min(3),
      replyTo: z.string().nullable().default(null),
      dkim: z
        .strictObject({ domainName: z.string().min(1), keySelector: z.string().min(1), privateKeyFile: z.string().min(1) })
        .nullable()
        .default(null),
    })
    .nullable()
    .default(null),
  letters: z
    .strictObject({
      /** Rule 1: this many attacks or more. */
      manyAttacks: z.number().int().min(1).default(100),
      /** Rule 2: this many attacks or more while the ISP's default mail address was never changed. */
      manyAttacksDefaultMail: z.number().int().min(1).default(20),
      /** Rule 3: this many e-mails sent without a visit to the tracking link. */
      noReactionAfterEmails: z.number().int().min(1).default(2),
      /** A subscriber gets at most one letter in this many days. */
      minDaysBetween: z.number().int().min(1).max(365).default(28),
      /** A TrueType/OpenType font with Japanese glyphs; null = search the usual Debian paths. */
      font: z.string().min(1).nullable().default(null),
    })
    .prefault({}),
});

export type IspClientConfig = z.infer<typeof ispClientConfigSchema>;
export type LookupConfig = IspClientConfig['lookup'];

/** The config with secrets resolved; what the client runs with. */
export interface ResolvedIspClientConfig extends IspClientConfig {
  readonly token: string;
  readonly keySecret: string;
  /** Absolute path of the file read. */
  readonly file: string;
}

/** Reads, validates and completes the config. Every problem is listed in one UserError. */
export function loadIspClientConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ResolvedIspClientConfig {
  const named = path ?? (env[ISP_ENV.config] || undefined) ?? DEFAULT_ISP_CONFIG_FILE;
  const file = resolve(cwd, named);
  if (!existsSync(file)) throw new UserError('FILE_NOT_FOUND', `ISP client config ${file} not found; write a starter with: cleancenter isp init`);
  if (statSync(file).size > MAX_CONFIG_BYTES) throw new UserError('CONFIG_INVALID', `${named} is larger than 1 MiB; is it really the ISP client config?`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    throw new UserError('CONFIG_INVALID', `${named} is not valid UTF-8 text`);
  }
  return parseIspClientConfig(text, named, file, env);
}

/** As loadIspClientConfig, from text (file names the folder that relative paths start from). */
export function parseIspClientConfig(text: string, display: string, file: string, env: NodeJS.ProcessEnv = process.env): ResolvedIspClientConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const p = lines.linePos(e.pos[0]);
      problems.push(`${display}:${p.line}:${p.col}: ${e.message.split('\n')[0] ?? ''}`);
    }
    throw new UserError('CONFIG_INVALID', `invalid ISP client configuration:\n  ${problems.join('\n  ')}`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = ispClientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const node = doc.getIn(issue.path as (string | number)[], true);
      const at = isNode(node) && node.range ? lines.linePos(node.range[0]) : null;
      const key = issue.path.map(String).join('.') || '(file)';
      problems.push(`${at ? `${display}:${at.line}:${at.col}: ` : ''}${key}: ${issue.message}`);
    }
    throw new UserError('CONFIG_INVALID', `invalid ISP client configuration in ${display}:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  const token = c.center.token ?? env[ISP_ENV.token] ?? '';
  const keySecret = c.subscriberKeySecret ?? env[ISP_ENV.keySecret] ?? '';
  if (token === '') problems.push(`center.token: not set; put it in the file or in ${ISP_ENV.token}`);
  if (keySecret.length < 32) problems.push(`subscriberKeySecret: not set or shorter than 32 characters; put it in the file or in ${ISP_ENV.keySecret}`);
  if (problems.length > 0) throw new UserError('CONFIG_INVALID', `invalid ISP client configuration in ${display}:\n  ${problems.join('\n  ')}`);

  const base = dirname(file);
  const local = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const lookup: LookupConfig =
    c.lookup.kind === 'csv'
      ? { ...c.lookup, file: local(c.lookup.file) }
      : c.lookup.kind === 'sql'
        ? { ...c.lookup, database: /^postgres(ql)?:\/\//i.test(c.lookup.database) ? c.lookup.database : local(c.lookup.database) }
        : { ...c.lookup, command: c.lookup.command.map((a, i) => (i === 0 && a.includes('/') ? local(a) : a)) };
  const smtp =
    c.smtp === null
      ? null
      : {
          ...c.smtp,
          auth: c.smtp.auth === null ? null : { user: c.smtp.auth.user, pass: c.smtp.auth.pass ?? env[ISP_ENV.smtpPass] ?? null },
          dkim: c.smtp.dkim === null ? null : { ...c.smtp.dkim, privateKeyFile: local(c.smtp.dkim.privateKeyFile) },
        };
  return {
    ...c,
    database: c.database === ':memory:' ? c.database : local(c.database),
    lookup,
    smtp,
    letters: { ...c.letters, font: c.letters.font === null ? null : local(c.letters.font) },
    token,
    keySecret,
    file,
  };
}

/** Writes the commented starter; refuses to overwrite unless forced. Returns the absolute path. */
export function writeIspClientStarter(path: string, force: boolean): string {
  const abs = resolve(path);
  if (existsSync(abs) && !force) throw new UserError('USAGE', `${abs} exists; pass --force to overwrite it`);
  writeFileSync(abs, ISP_CLIENT_STARTER, { mode: 0o600 });
  return abs;
}
