import { hash } from 'node:crypto';
import { z } from 'zod';
import { STAGES, toUtcIso, type HoneypotEvent, type SampleHashes } from '../../domain/event.js';
import { canonicalIp } from '../../domain/ip.js';

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
    ctx.issues.push({ code: 'custom', message: `expected an IPv4 or IPv6 address, got ${show(v)}`, input: v });
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
    ctx.issues.push({ code: 'custom', message: v === undefined ? `required, ${TIME}` : `${TIME}, got ${show(v)}`, input: v });
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
      return `${path}: ${i.message}, got ${show(i.input)}`;
    })
    .join('; ');
}

function show(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
