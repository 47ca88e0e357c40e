import { createHash, hash, randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { hostname } from 'node:os';
import type { HoneypotEvent, RejectedRecord } from '../domain/event.js';
import { truncateRaw } from '../domain/event.js';
import type { EventsTable, RejectsTable, Storage } from '../storage/schema.js';
import { SampleKeyCache, writeIngestBatch, type SampleSighting } from '../storage/repositories/intake-repository.js';
import { finishImport, startImport, touchImport } from '../storage/repositories/imports-repository.js';
import type { HoneypotReader, ReadItem, ReadOptions } from './reader.js';

/** What intake needs from enrichment: the synchronous look-ups (country, ASN, ISP). */
export interface SourceEnricher {
  enrich(ip: string): { country: string | null; asn: number | null; isp: string | null };
}

export interface IngestProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly recordsRead: number;
  /** Bytes (or rows) done in the current file and its total, when the reader reports them. */
  readonly done: number;
  readonly total: number | null;
}

export interface IngestOptions {
  readonly storage: Storage;
  readonly reader: HoneypotReader;
  readonly paths: readonly string[];
  readonly sensor?: string;
  readonly enricher?: SourceEnricher;
  /** Optional PTR look-up, applied to each distinct source IP of a batch. */
  readonly ptr?: (ip: string) => Promise<string | null>;
  readonly batchSize?: number;
  readonly onProgress?: (p: IngestProgress) => void;
  /** How many rejects to carry in the summary itself (all are stored). */
  readonly rejectsInSummary?: number;
}

export interface FileSummary {
  readonly path: string;
  recordsRead: number;
  eventsStored: number;
  duplicates: number;
  rejected: number;
  ignored: number;
}

export interface IngestSummary {
  readonly importId: string;
  readonly format: string;
  readonly files: FileSummary[];
  /** records read = events stored + duplicates skipped + rejected + ignored (read but not an attack step). */
  recordsRead: number;
  eventsStored: number;
  duplicates: number;
  rejected: number;
  /** Rejects not stored before (a re-run finds its rejects already kept). */
  rejectsNew: number;
  ignored: number;
  ignoredByKind: Record<string, number>;
  /** Distinct samples named by this run's events that the store did not know before. */
  samplesNew: number;
  /** Distinct samples named by this run's events that the store already knew. */
  samplesKnown: number;
  readonly rejects: RejectedRecord[];
  elapsedMs: number;
}

const DEFAULT_BATCH = 5000;
// One SQLite transaction per batch: each commit rewrites the last, partly filled page of every
// index, so larger batches write less; the batch's rows in memory stay a fixed, modest amount.
const DEFAULT_SQLITE_BATCH = 20_000;

/**
 * Reads honeypot files with one reader, enriches and stores the events, keeps every reject, and
 * returns counts that add up. Idempotent: every event and reject has a content key, so a re-run,
 * or a run after one that was killed part way, stores nothing twice.
 */
export async function ingestFiles(opts: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  // Every event row carries it, and an index on it: 16 random characters (96 bits) instead of a
  // 36-character UUID keep rows and index smaller.
  const importId = randomBytes(12).toString('base64url');
  const batchSize = opts.batchSize ?? (opts.storage.dialect === 'sqlite' ? DEFAULT_SQLITE_BATCH : DEFAULT_BATCH);
  const keepInSummary = opts.rejectsInSummary ?? 50;
  const summary: IngestSummary = {
    importId,
    format: opts.reader.format,
    files: [],
    recordsRead: 0,
    eventsStored: 0,
    duplicates: 0,
    rejected: 0,
    rejectsNew: 0,
    ignored: 0,
    ignoredByKind: {},
    samplesNew: 0,
    samplesKnown: 0,
    rejects: [],
    elapsedMs: 0,
  };
  await startImport(opts.storage, { importId, format: opts.reader.format, paths: opts.paths, startedAt: new Date().toISOString(), host: hostname() });
  let lastBeat = Date.now();
  const newSamples = new Set<string>();
  const knownSamples = new Set<string>();
  const sampleKeys = new SampleKeyCache();
  const now = new Date().toISOString();

  try {
    for (let fi = 0; fi < opts.paths.length; fi++) {
      const path = opts.paths[fi] as string;
      const file: FileSummary = { path, recordsRead: 0, eventsStored: 0, duplicates: 0, rejected: 0, ignored: 0 };
      summary.files.push(file);
      let events: EventsTable[] = [];
      let rejects: RejectsTable[] = [];
      let sightings: SampleSighting[] = [];
      let progressDone = 0;
      let progressTotal: number | null = null;

      const flush = async (): Promise<void> => {
        if (events.length === 0 && rejects.length === 0) return;
        if (opts.ptr !== undefined) await addPtrNames(events, opts.ptr);
        const r = await writeIngestBatch(opts.storage, { events, rejects, sightings }, sampleKeys);
        if (Date.now() - lastBeat > 30_000) {
          lastBeat = Date.now();
          await touchImport(opts.storage, importId, new Date(lastBeat).toISOString());
        }
        file.eventsStored += r.eventsInserted;
        file.duplicates += events.length - r.eventsInserted;
        summary.rejectsNew += r.rejectsInserted;
        for (const k of r.samplesCreated) if (!knownSamples.has(k)) newSamples.add(k);
        for (const k of r.samplesExisting) if (!newSamples.has(k)) knownSamples.add(k);
        events = [];
        rejects = [];
        sightings = [];
      };
      const reject = (rec: RejectedRecord): void => {
        file.rejected++;
        if (summary.rejects.length < keepInSummary) summary.rejects.push(rec);
        rejects.push(toRejectRow(rec, importId, now));
      };

      try {
        const readOptions: ReadOptions = {
          ...(opts.sensor !== undefined ? { sensor: opts.sensor } : {}),
          onProgress: (done, total) => {
            progressDone = done;
            progressTotal = total;
          },
        };
        // One record in; true when the batch is full and must be written.
        const take = (item: ReadItem): boolean => {
          file.recordsRead++;
          if (item.kind === 'event') {
            const row = toEventRow(item.event, importId, opts.enricher);
            events.push(row);
            const s = item.event.sample;
            if (s !== null && (s.sha256 || s.md5 || s.sha1)) {
              sightings.push({ md5: s.md5, sha1: s.sha1, sha256: s.sha256, time: item.event.time });
            }
          } else if (item.kind === 'reject') {
            reject(item.reject);
          } else {
            file.ignored++;
            summary.ignoredByKind[item.ignored.kind] = (summary.ignoredByKind[item.ignored.kind] ?? 0) + 1;
          }
          return events.length + rejects.length >= batchSize;
        };
        const write = async (): Promise<void> => {
          await flush();
          opts.onProgress?.({ file: path, fileIndex: fi, fileCount: opts.paths.length, recordsRead: summary.recordsRead + file.recordsRead, done: progressDone, total: progressTotal });
        };
        const reader = opts.reader;
        if (reader.readBatches !== undefined) {
          for await (const chunk of reader.readBatches(path, readOptions)) {
            for (const item of chunk) if (take(item)) await write();
          }
        } else {
          for await (const item of reader.read(path, readOptions)) if (take(item)) await write();
        }
      } catch (e) {
        // The reader could not go on (the file vanished, is unreadable, or is not of this format at all):
        // that is one rejected record for the file, never a crash of the run.
        file.recordsRead++;
        reject({
          format: opts.reader.format,
          source: path,
          line: null,
          row: null,
          reason: `cannot read file: ${(e as Error).message}`,
          raw: '',
        });
      }
      await flush();
      opts.onProgress?.({ file: path, fileIndex: fi, fileCount: opts.paths.length, recordsRead: summary.recordsRead + file.recordsRead, done: progressDone, total: progressTotal });
      summary.recordsRead += file.recordsRead;
      summary.eventsStored += file.eventsStored;
      summary.duplicates += file.duplicates;
      summary.rejected += file.rejected;
      summary.ignored += file.ignored;
    }
  } catch (e) {
    await finishImport(opts.storage, importId, 'failed', { error: (e as Error).message }, new Date().toISOString()).catch(() => undefined);
    throw e;
  }
  summary.samplesNew = newSamples.size;
  summary.samplesKnown = knownSamples.size;
  summary.elapsedMs = Date.now() - started;
  const { rejects: _omit, ...counts } = summary;
  await finishImport(opts.storage, importId, 'done', counts, new Date().toISOString());
  return summary;
}

/**
 * The stored key of an event: its time, then a hash of its format and the reader's natural key (so
 * a path change does not matter). The time prefix makes inserts of time-ordered logs land near the
 * end of the primary-key index instead of at random places, which keeps large ingests fast.
 */
export function eventKey(format: string, naturalKey: string, time: string): string {
  return `${time}|${hash('sha256', `${format}\0${naturalKey}`, 'base64url').slice(0, 22)}`;
}

/**
 * Text that both databases can store: PostgreSQL rejects NUL characters and lone UTF-16
 * surrogates (from non-UTF-8 input) would fail its UTF-8 encoding. Readers should not pass them
 * on, but one hostile field must never fail a whole batch.
 */
export function storable(s: string): string {
  if (s.indexOf('\0') === -1 && s.isWellFormed()) return s;
  return s.toWellFormed().replaceAll('\0', '\uFFFD');
}

function storableOrNull(s: string | null): string | null {
  return s === null ? null : storable(s);
}

// Every event of a file names the same file: check that text once, not once per event.
let lastFile = '';
let lastFileStorable = '';
function storableFile(file: string): string {
  if (file !== lastFile) {
    lastFileStorable = storable(file);
    lastFile = file;
  }
  return lastFileStorable;
}

function toEventRow(e: HoneypotEvent, importId: string, enricher: SourceEnricher | undefined): EventsTable {
  const en = enricher?.enrich(e.srcIp);
  return {
    event_key: eventKey(e.format, e.key, e.time),
    format: e.format,
    sensor: storable(e.sensor),
    time: e.time,
    src_ip: e.srcIp,
    src_port: e.srcPort,
    dst_ip: e.dstIp,
    dst_port: e.dstPort,
    protocol: storable(e.protocol),
    stage: e.stage,
    vulnerability: storableOrNull(e.vulnerability),
    vulnerability_raw: storableOrNull(e.vulnerabilityRaw),
    sample_md5: e.sample?.md5 ?? null,
    sample_sha1: e.sample?.sha1 ?? null,
    sample_sha256: e.sample?.sha256 ?? null,
    sample_url: storableOrNull(e.sample?.url ?? null),
    country: en?.country ?? null,
    asn: en?.asn ?? null,
    isp: en?.isp ?? null,
    ptr: null,
    source_file: storableFile(e.ref.file),
    source_line: e.ref.line,
    source_row: storableOrNull(e.ref.row),
    import_id: importId,
  };
}

/** A reject's key leaves out the folder, so re-running from another working directory stores it once. */
function toRejectRow(r: RejectedRecord, importId: string, now: string): RejectsTable {
  const raw = storable(truncateRaw(r.raw));
  const key = createHash('sha256')
    .update([r.format, basename(r.source), r.line ?? '', r.row ?? '', r.reason, raw].join('\0'))
    .digest('base64url')
    .slice(0, 32);
  return {
    reject_key: key,
    format: r.format,
    source: storable(r.source),
    line: r.line,
    row: storableOrNull(r.row),
    reason: storable(r.reason),
    raw,
    first_seen_at: now,
    import_id: importId,
  };
}

async function addPtrNames(events: EventsTable[], ptr: (ip: string) => Promise<string | null>): Promise<void> {
  const ips = [...new Set(events.map((e) => e.src_ip))];
  const names = new Map(await Promise.all(ips.map(async (ip) => [ip, await ptr(ip).catch(() => null)] as const)));
  for (const e of events) e.ptr = names.get(e.src_ip) ?? null;
}
