/**
 * The normalised honeypot event: one attack step seen by one sensor.
 * Every intake reader turns its own format into these; everything downstream reads only these.
 */

/** Attack stages, weakest evidence first. */
export const STAGES = ['connect', 'exploit', 'offer', 'download', 'execution'] as const;
export type Stage = (typeof STAGES)[number];

/** Higher is stronger evidence of an infection. */
export function stageStrength(stage: Stage): number {
  return STAGES.indexOf(stage);
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Where an event came from, so that an analyst can always find the raw record again. */
export interface RawRef {
  /** The file as given on the command line (or the sensor's feed name). */
  readonly file: string;
  /** 1-based line number for line formats; null for row formats. */
  readonly line: number | null;
  /** Row reference for table formats, e.g. "connections:1234" or "downloads:7"; null for line formats. */
  readonly row: string | null;
}

export interface SampleHashes {
  readonly md5: string | null;
  readonly sha1: string | null;
  readonly sha256: string | null;
  /** The URL the bot binary was offered at or downloaded from, when known. */
  readonly url: string | null;
}

export interface HoneypotEvent {
  /**
   * A reader-chosen natural key, unique for this record among all records of the same format
   * (e.g. cowrie "session:eventid:timestamp:…", dionaea sqlite "<db-identity>:connections:42:connect").
   * It must not depend on the file's path so that a copied or renamed file still deduplicates.
   * Storage hashes it; the same record ingested twice is stored once.
   */
  readonly key: string;
  /** Intake format name, e.g. "cowrie". */
  readonly format: string;
  readonly sensor: string;
  /** UTC, ISO 8601 with milliseconds and a Z: "2024-05-17T07:05:23.517Z". */
  readonly time: string;
  readonly srcIp: string;
  readonly srcPort: number | null;
  readonly dstIp: string | null;
  readonly dstPort: number | null;
  /** Transport and/or application protocol, lowercased: "tcp", "smb", "ssh", "http", … */
  readonly protocol: string;
  readonly stage: Stage;
  /** Named vulnerability, e.g. "MS08-067", "weak-credentials"; null when none is known. */
  readonly vulnerability: string | null;
  /** The raw identification the vulnerability was derived from, e.g. "4b324fc8-1670-01d3-1278-5a47bf6ee188:31". */
  readonly vulnerabilityRaw: string | null;
  readonly sample: SampleHashes | null;
  readonly ref: RawRef;
}

/** A record an intake reader could not turn into an event. Kept, counted, never dropped. */
export interface RejectedRecord {
  readonly format: string;
  /** The file as given. */
  readonly source: string;
  readonly line: number | null;
  readonly row: string | null;
  /** A short human sentence: what is wrong, e.g. "invalid JSON: Unexpected token } at position 17". */
  readonly reason: string;
  /** The raw record, truncated to MAX_RAW_KEPT characters (see truncateRaw). */
  readonly raw: string;
}

/** A record that was read and understood but is not an attack step (e.g. cowrie.client.kex). Counted by kind. */
export interface IgnoredRecord {
  readonly kind: string;
}

export const MAX_RAW_KEPT = 4096;

export function truncateRaw(raw: string): string {
  return raw.length <= MAX_RAW_KEPT ? raw : `${raw.slice(0, MAX_RAW_KEPT)}…[truncated ${raw.length - MAX_RAW_KEPT} chars]`;
}

/** Normalise any accepted time input to the canonical UTC form; null when it is not a valid time. */
export function toUtcIso(input: string | number | Date, assumeUtc = true): string | null {
  let d: Date;
  if (input instanceof Date) d = input;
  else if (typeof input === 'number') d = new Date(input);
  else {
    const s = input.trim();
    // A timestamp without zone (dionaea log_json writes these) is taken as UTC, not local time.
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s);
    const iso = s.includes('T') ? s : s.replace(' ', 'T');
    d = new Date(!hasZone && assumeUtc && /^\d{4}-\d{2}-\d{2}T/.test(iso) ? `${iso}Z` : iso);
  }
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  return d.toISOString();
}
