import { hash } from 'node:crypto';
import { z } from 'zod';
import { STAGES, toUtcIso, type HoneypotEvent, type SampleHashes, type Stage } from '../../domain/event.js';
import { canonicalIp } from '../../domain/ip.js';
import { showValue } from '../show-value.js';

/**
 * cleancenter's own event format for sensors that have no reader of their own (docs/event-format.md).
 * One record is one HoneypotEvent; the field names are the snake_case of its properties.
 */
export const CC_FIELDS = [
  'id',
  'sensor',
  'time',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'protocol',
  'stage',
  'vulnerability',
  'vulnerability_raw',
  'md5',
  'sha1',
  'sha256',
  'url',
] as const;
export type CcField = (typeof CC_FIELDS)[number];

/** Always required; `sensor` is required too unless the caller names one. */
export const CC_REQUIRED: readonly CcField[] = ['time', 'src_ip', 'protocol', 'stage'];

/** No single value may be longer; longer ones are rejected, never cut. */
export const MAX_FIELD_CHARS = 65536;

/** Names a sensor may add for its own use; they are read and ignored. */
export function isExtensionField(name: string): boolean {
  return name.startsWith('x_');
}

const PORT = 'expected an integer 0-65535';
const TIME = 'expected ISO 8601 with a zone (e.g. 2024-05-17T07:05:23Z) or epoch seconds';
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
// Epoch seconds past this (year 5138) are almost surely milliseconds.
const MAX_EPOCH_SECONDS = 1e11;

const text = (max: number) =>
  z.string({ error: 'expected a string' }).max(max, { error: `longer than ${max} characters` });

const port = z.int({ error: PORT }).min(0, { error: PORT }).max(65535, { error: PORT });

const ip = text(MAX_FIELD_CHARS).transform((v, ctx) => {
  const c = canonicalIp(v.trim());
  if (c === null) {
    ctx.issues.push({ code: 'custom', message: `expected an IPv4 or IPv6 address, got ${showValue(v)}`, input: v });
    return z.NEVER;
  }
  return c;
});

const hex = (digits: number, name: string) =>
  text(MAX_FIELD_CHARS)
    .regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), { error: `expected ${name} as ${digits} hex digits` })
    .transform((v) => v.toLowerCase());

const time = z.unknown().transform((v, ctx) => {
  let t: string | null = null;
  if (typeof v === 'number') {
    if (v >= MAX_EPOCH_SECONDS) {
      ctx.issues.push({ code: 'custom', message: `epoch seconds expected, got ${v} (milliseconds?)`, input: v });
      return z.NEVER;
    }
    t = v >= 0 ? toUtcIso(v * 1000) : null;
  } else if (typeof v === 'string' && v.length <= 64 && ISO_WITH_ZONE.test(v)) {
    t = toUtcIso(v, false);
  }
  if (t === null) {
    ctx.issues.push({ code: 'custom', message: v === undefined ? `required, ${TIME}` : `${TIME}, got ${showValue(v)}`, input: v });
    return z.NEVER;
  }
  return t;
});

const schema = z
  .strictObject({
    id: z
      .union([text(256).min(1), z.int().min(0)], { error: 'expected a string of 1-256 characters or a non-negative integer' })
      .transform(String)
      .optional(),
    sensor: text(256).min(1, { error: 'expected a non-empty string' }).optional(),
    time,
    src_ip: ip,
    src_port: port.optional(),
    dst_ip: ip.optional(),
    dst_port: port.optional(),
    protocol: text(32)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, { error: 'expected a protocol name such as tcp, smb, ssh, http' })
      .transform((v) => v.toLowerCase()),
    stage: z.enum(STAGES, { error: `expected one of ${STAGES.join(', ')}` }),
    vulnerability: text(256).optional(),
    vulnerability_raw: text(MAX_FIELD_CHARS).optional(),
    md5: hex(32, 'MD5').optional(),
    sha1: hex(40, 'SHA-1').optional(),
    sha256: hex(64, 'SHA-256').optional(),
    url: text(MAX_FIELD_CHARS)
      .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/, { error: 'expected an absolute URL such as http://host.example/path' })
      .optional(),
  })
  .superRefine((r, ctx) => {
    const hashed = r.md5 !== undefined || r.sha1 !== undefined || r.sha256 !== undefined;
    if ((r.stage === 'download' || r.stage === 'execution') && !hashed) {
      ctx.addIssue({ code: 'custom', path: ['stage'], message: `"${r.stage}" needs at least one of md5, sha1, sha256` });
    }
    if (r.stage === 'offer' && !hashed && r.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stage'], message: '"offer" needs a url or a hash' });
    }
  });

export type CcRecord = z.output<typeof schema>;

/** The event, or the reject reason. */
export type CcResult = { readonly ok: true; readonly event: HoneypotEvent } | { readonly ok: false; readonly reason: string };

export interface CcContext {
  readonly format: string;
  readonly file: string;
  readonly line: number;
  readonly defaultSensor: string | undefined;
}

/**
 * Validates one record (field name → value; an empty string counts as absent) and builds the event.
 * JSONL values keep their JSON types; CSV values arrive as strings and are typed here first.
 */
export function toCcEvent(input: Record<string, unknown>, fromCsv: boolean, ctx: CcContext): CcResult {
  if (!fromCsv) {
    const event = fastCcEvent(input, ctx);
    if (event !== null) return { ok: true, event };
  }
  return ccEventBySchema(input, fromCsv, ctx);
}

/** toCcEvent() without its fast path: the schema decides every record. Exported for the tests that hold the two to the same answers. */
export function ccEventBySchema(input: Record<string, unknown>, fromCsv: boolean, ctx: CcContext): CcResult {
  const clean: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    const v = input[name];
    if (v === '' || v === null || v === undefined || isExtensionField(name)) continue;
    clean[name] = fromCsv ? typeCsvValue(name, v as string) : v;
  }
  const parsed = schema.safeParse(clean, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error.issues) };
  const r = parsed.data;
  const sensor = r.sensor ?? ctx.defaultSensor;
  if (sensor === undefined) return { ok: false, reason: 'sensor: required (the record has none and no default sensor was given)' };
  const sample: SampleHashes | null =
    r.md5 === undefined && r.sha1 === undefined && r.sha256 === undefined && r.url === undefined
      ? null
      : { md5: r.md5 ?? null, sha1: r.sha1 ?? null, sha256: r.sha256 ?? null, url: r.url ?? null };
  const body = {
    sensor,
    time: r.time,
    srcIp: r.src_ip,
    srcPort: r.src_port ?? null,
    dstIp: r.dst_ip ?? null,
    dstPort: r.dst_port ?? null,
    protocol: r.protocol,
    stage: r.stage,
    vulnerability: r.vulnerability ?? null,
    vulnerabilityRaw: r.vulnerability_raw ?? null,
    sample,
  };
  const key = r.id !== undefined ? `${sensor}:id:${r.id}` : `${sensor}:content:${contentDigest(body)}`;
  return { ok: true, event: { key, format: ctx.format, ...body, ref: { file: ctx.file, line: ctx.line, row: null } } };
}

const HEX = /^[0-9a-fA-F]*$/;
const PROTOCOL = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;

/**
 * The common, well-formed JSONL record checked by hand: zod costs several microseconds a record,
 * more than the rest of intake together. Returns null whenever anything is unusual (an unknown
 * field, a number where text is usual, a time not already canonical, any invalid value), and the
 * caller then runs the schema, which decides and words the reason. So this path may only ever
 * accept what the schema accepts, with the same result.
 */
export function fastCcEvent(input: Record<string, unknown>, ctx: CcContext): HoneypotEvent | null {
  let id: string | undefined;
  let sensor: string | undefined;
  let time: string | undefined;
  let srcIp: string | undefined;
  let srcPort: number | null = null;
  let dstIp: string | null = null;
  let dstPort: number | null = null;
  let protocol: string | undefined;
  let stage: Stage | undefined;
  let vulnerability: string | null = null;
  let vulnerabilityRaw: string | null = null;
  let md5: string | null = null;
  let sha1: string | null = null;
  let sha256: string | null = null;
  let url: string | null = null;
  for (const name in input) {
    const v = input[name];
    if (v === '' || v === null || v === undefined) continue;
    switch (name) {
      case 'id':
        if (typeof v !== 'string' || v.length > 256) return null;
        id = v;
        break;
      case 'sensor':
        if (typeof v !== 'string' || v.length > 256) return null;
        sensor = v;
        break;
      case 'time':
        if (typeof v !== 'string' || !isCanonicalUtc(v)) return null;
        time = v;
        break;
      case 'src_ip': {
        if (typeof v !== 'string' || v.length > MAX_FIELD_CHARS) return null;
        const c = canonicalIp(v.trim());
        if (c === null) return null;
        srcIp = c;
        break;
      }
      case 'dst_ip': {
        if (typeof v !== 'string' || v.length > MAX_FIELD_CHARS) return null;
        dstIp = canonicalIp(v.trim());
        if (dstIp === null) return null;
        break;
      }
      case 'src_port':
        if (!isPort(v)) return null;
        srcPort = v;
        break;
      case 'dst_port':
        if (!isPort(v)) return null;
        dstPort = v;
        break;
      case 'protocol':
        if (typeof v !== 'string' || v.length > 32 || !PROTOCOL.test(v)) return null;
        protocol = v.toLowerCase();
        break;
      case 'stage':
        if (v !== 'connect' && v !== 'exploit' && v !== 'offer' && v !== 'download' && v !== 'execution') return null;
        stage = v;
        break;
      case 'vulnerability':
        if (typeof v !== 'string' || v.length > 256) return null;
        vulnerability = v;
        break;
      case 'vulnerability_raw':
        if (typeof v !== 'string' || v.length > MAX_FIELD_CHARS) return null;
        vulnerabilityRaw = v;
        break;
      case 'md5':
        if (!isHex(v, 32)) return null;
        md5 = v.toLowerCase();
        break;
      case 'sha1':
        if (!isHex(v, 40)) return null;
        sha1 = v.toLowerCase();
        break;
      case 'sha256':
        if (!isHex(v, 64)) return null;
        sha256 = v.toLowerCase();
        break;
      case 'url':
        if (typeof v !== 'string' || v.length > MAX_FIELD_CHARS || !URL_SHAPE.test(v)) return null;
        url = v;
        break;
      default:
        if (!isExtensionField(name)) return null;
    }
  }
  if (time === undefined || srcIp === undefined || protocol === undefined || stage === undefined) return null;
  const hashed = md5 !== null || sha1 !== null || sha256 !== null;
  if ((stage === 'download' || stage === 'execution') && !hashed) return null;
  if (stage === 'offer' && !hashed && url === null) return null;
  sensor ??= ctx.defaultSensor;
  if (sensor === undefined) return null;
  const sample: SampleHashes | null = hashed || url !== null ? { md5, sha1, sha256, url } : null;
  const ref = { file: ctx.file, line: ctx.line, row: null };
  if (id !== undefined) {
    return { key: `${sensor}:id:${id}`, format: ctx.format, sensor, time, srcIp, srcPort, dstIp, dstPort, protocol, stage, vulnerability, vulnerabilityRaw, sample, ref };
  }
  // Same property order as toCcEvent's body: the content digest is of its JSON.
  const body = { sensor, time, srcIp, srcPort, dstIp, dstPort, protocol, stage, vulnerability, vulnerabilityRaw, sample };
  return { key: `${sensor}:content:${contentDigest(body)}`, format: ctx.format, ...body, ref };
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}

function isHex(v: unknown, digits: number): v is string {
  return typeof v === 'string' && v.length === digits && HEX.test(v);
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when v is already what toUtcIso makes of it: "YYYY-MM-DDTHH:MM:SS.sssZ" with every field in
 * range (Date would roll "02-30" over into March, and "24:00" into the next day).
 */
function isCanonicalUtc(v: string): boolean {
  if (v.length !== 24 || v.charCodeAt(23) !== 90 /* Z */) return false;
  for (let i = 0; i < 23; i++) {
    const c = v.charCodeAt(i);
    const want = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : -1;
    if (want >= 0 ? c !== want : c < 48 || c > 57) return false;
  }
  const year = num(v, 0, 4);
  const month = num(v, 5, 2);
  const day = num(v, 8, 2);
  if (month < 1 || month > 12 || day < 1 || num(v, 11, 2) > 23 || num(v, 14, 2) > 59 || num(v, 17, 2) > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number));
}

function num(s: string, at: number, digits: number): number {
  let n = 0;
  for (let i = at; i < at + digits; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/** CSV has only text: digits in number columns become numbers, anything else stays text for a precise reason. */
function typeCsvValue(name: string, v: string): unknown {
  if ((name === 'src_port' || name === 'dst_port') && /^\d{1,6}$/.test(v)) return Number(v);
  if (name === 'time' && /^\d{1,12}(?:\.\d{1,9})?$/.test(v)) return Number(v);
  return v;
}

/** The same normalised content gives the same digest, whatever the file, path or CSV/JSONL spelling. */
function contentDigest(body: object): string {
  return hash('sha256', JSON.stringify(body), 'hex').slice(0, 32);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      // A too-long text is not echoed back: it may be 64 KiB.
      if (i.code === 'custom' || ((i.code === 'too_big' || i.code === 'too_small') && typeof i.input === 'string')) return `${path}: ${i.message}`;
      if (i.input === undefined) return `${path}: required, ${i.message}`;
      return `${path}: ${i.message}, got ${showValue(i.input)}`;
    })
    .join('; ');
}

