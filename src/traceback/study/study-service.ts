/**
 * The study's steps as services for the command line and the demo: each opens what it needs from
 * the study's parameters (stored, merged with the ones given now), runs, and closes it again.
 * A file that is missing or unreadable is a clear UserError; a bad line inside a file is a reject.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../domain/errors.js';
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { AsnLookup, GeoLookup } from '../../enrich/types.js';
import { openGeoDatabase } from '../../enrich/geo/geo-database.js';
import { loadAsnCsv } from '../../enrich/asn/asn-csv.js';
import { openAsnMmdb } from '../../enrich/asn/asn-mmdb.js';
import { createPtrResolver } from '../../enrich/rdns/ptr-resolver.js';
import { parseSinkholeList, type SinkholeList } from '../../feeds/sinkholes.js';
import type { Storage } from '../../storage/schema.js';
import { addStudyNames, addStudyRejects, getStudy, getStudyNames, saveStudy, type StudyRejectRecord } from '../../storage/repositories/traceback-studies.js';
import { createIterativeResolver, parseRootHints } from '../resolver/index.js';
import type { IterativeResolver } from '../resolver/types.js';
import { parseAddressMap } from './address-map.js';
import { runClassifyStep, type ClassifyStepSummary } from './classify-step.js';
import { studyLifetimes } from './lifetime-input.js';
import { categoryFilter, readStoredParams, type StudyParams } from './params.js';
import { runProbeStep, type ProbeStepSummary } from './probe-step.js';
import { readFeedFile, readLists, type ListFileSummary } from './read-lists.js';
import { runResolveStep, type ResolveStepSummary } from './resolve-step.js';
import { blocklistPersistence, type PersistenceRow } from './persistence.js';

/** Progress of any step: a label, work done and the total when known. */
export type StudyProgress = (label: string, done: number, total: number | null) => void;

/** What the composition root lends a step when the study names no database of its own. */
export interface StudyEnvironment {
  /** Country and AS of an address from the configured databases. */
  readonly enrich?: (ip: string) => { country: string | null; asn: number | null };
  readonly onProgress?: StudyProgress;
  readonly now?: () => Date;
}

export interface PrepareSummary {
  readonly files: ListFileSummary[];
  readonly namesAdded: number;
  readonly namesTotal: number;
  readonly rejects: number;
}

/** Stores the given parameters with the study (creating it) and returns the merged parameters. */
export async function openStudy(storage: Storage, study: string, given: StudyParams, now: Date = new Date()): Promise<StudyParams> {
  const rec = await saveStudy(storage, study, given as Record<string, unknown>, now.toISOString());
  return readStoredParams(rec.params);
}

export async function requireStudy(storage: Storage, study: string): Promise<StudyParams> {
  const rec = await getStudy(storage, study);
  if (rec === null) throw new UserError('NOT_FOUND', `no study named ${JSON.stringify(study)} in this database; run "traceback resolve --study ${study} --list FILE" first`);
  return readStoredParams(rec.params);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError('FILE_NOT_FOUND', `${what} ${path}: ${(e as Error).message}`);
  }
}

/** Reads the C&C and control lists into the study's names; bad lines are stored as rejects. */
export async function prepareNames(storage: Storage, study: string, p: StudyParams): Promise<PrepareSummary> {
  const category = categoryFilter(p.category);
  const cc = await readLists(p.lists ?? [], 'cc', category !== undefined ? { category } : {});
  // The control list is benign by definition: no category filter applies to it.
  const control = await readLists(p.control ?? [], 'control');
  const rejects = [...cc.rejects, ...control.rejects];
  await addStudyRejects(storage, study, rejects);
  const namesAdded = await addStudyNames(storage, study, [...cc.names, ...control.names]);
  return { files: [...cc.files, ...control.files], namesAdded, namesTotal: (await getStudyNames(storage, study)).length, rejects: rejects.length };
}

/** Builds the iterative resolver the parameters describe. */
export async function openResolver(p: StudyParams): Promise<{ resolver: IterativeResolver; rejects: StudyRejectRecord[] }> {
  if (p.rootHints === undefined) throw new UserError('USAGE', 'a root hints file is needed (--root-hints FILE; IANA publishes named.root)');
  const parsed = parseRootHints(await readText(p.rootHints, 'root hints'), p.rootHints);
  if (parsed.hints.length === 0) throw new UserError('USAGE', `root hints ${p.rootHints}: no usable root server (${parsed.rejects.map((r) => `line ${r.line}: ${r.reason}`).slice(0, 3).join('; ')})`);
  const resolver = createIterativeResolver({
    rootHints: parsed.hints,
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
  });
  return { resolver, rejects: parsed.rejects.map((r) => ({ source: r.source, line: r.line, reason: r.reason, raw: r.text })) };
}

export interface ResolveStudySummary extends ResolveStepSummary {
  readonly lists: PrepareSummary;
}

export async function resolveStudy(storage: Storage, study: string, given: StudyParams, env: StudyEnvironment = {}): Promise<ResolveStudySummary> {
  const p = await openStudy(storage, study, given, env.now?.());
  const lists = await prepareNames(storage, study, p);
  if (lists.namesTotal === 0) throw new UserError('USAGE', `study ${study} has no names: give C&C lists with --list FILE (${lists.rejects} lines rejected)`);
  const { resolver, rejects } = await openResolver(p);
  await addStudyRejects(storage, study, rejects);
  try {
    const summary = await runResolveStep(storage, study, resolver, {
      ...(p.rounds !== undefined ? { rounds: p.rounds } : {}),
      ...(p.intervalMs !== undefined ? { intervalMs: p.intervalMs } : {}),
      ...(p.concurrency !== undefined ? { concurrency: p.concurrency } : {}),
      ...(env.now !== undefined ? { now: env.now } : {}),
      onProgress: (x) => env.onProgress?.(`resolve round ${x.round}`, x.done, x.total),
    });
    return { ...summary, lists };
  } finally {
    await resolver.close();
  }
}

async function openGeo(p: StudyParams): Promise<GeoLookup | null> {
  if (p.geoDb === undefined) return null;
  return openGeoDatabase(p.geoDb).catch((e: Error) => {
    throw new UserError('FILE_NOT_FOUND', `country database ${p.geoDb}: ${e.message}`);
  });
}

async function openAsn(p: StudyParams): Promise<AsnLookup | null> {
  const path = p.asnDb;
  if (path === undefined) return null;
  try {
    return path.toLowerCase().endsWith('.mmdb') ? await openAsnMmdb(path) : loadAsnCsv(path);
  } catch (e) {
    throw new UserError('FILE_NOT_FOUND', `ASN database ${path}: ${(e as Error).message}`);
  }
}

async function readSnapshots(files: StudyParams['blocklists'], rejects: StudyRejectRecord[]): Promise<FeedSnapshot[]> {
  const out: FeedSnapshot[] = [];
  for (const f of files ?? []) {
    const { snapshot, reject } = await readFeedFile(f);
    if (reject !== null) rejects.push(reject);
    if (snapshot !== null) {
      out.push(snapshot);
      for (const r of snapshot.rejects) rejects.push({ source: r.source, line: r.line, reason: r.reason, raw: r.raw });
    }
  }
  return out;
}

export interface ClassifyStudySummary extends ClassifyStepSummary {
  readonly blocklists: { feed: string; format: string; snapshotDate: string | null; entries: number }[];
  readonly rejects: number;
  readonly lifetimeSpans: number;
  readonly persistence: PersistenceRow[];
}

export async function classifyStudy(storage: Storage, study: string, given: StudyParams, env: StudyEnvironment = {}): Promise<ClassifyStudySummary> {
  await requireStudy(storage, study);
  const p = await openStudy(storage, study, given, env.now?.());
  const rejects: StudyRejectRecord[] = [];
  const blocklists = await readSnapshots(p.blocklists, rejects);
  const snapshots = await readSnapshots(p.snapshots, rejects);
  const columnLists = await readSnapshots(p.lifetimes, rejects);
  const history = await readSnapshots(p.blocklistHistory, rejects);
  const persistence = blocklistPersistence(history, blocklists);
  await saveStudy(storage, study, { derived: { persistence } }, (env.now?.() ?? new Date()).toISOString());
  let sinkholes: SinkholeList | null = null;
  if (p.sinkholes !== undefined) {
    try {
      sinkholes = parseSinkholeList(await readText(p.sinkholes, 'sinkhole list'));
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError('USAGE', `sinkhole list ${p.sinkholes}: ${(e as Error).message}`);
    }
  }
  let dnsAddressMap = new Map<string, string>();
  if (p.dnsAddressMap !== undefined) {
    const m = parseAddressMap(await readText(p.dnsAddressMap, 'DNS address map'), p.dnsAddressMap);
    dnsAddressMap = m.map;
    rejects.push(...m.rejects);
  }
  const lifetimes = studyLifetimes(await getStudyNames(storage, study, 'cc'), snapshots, columnLists);
  const geo = await openGeo(p);
  const asn = await openAsn(p);
  const fallback = env.enrich;
  const { resolver } = await openResolver(p);
  const ptr = createPtrResolver({ ...(p.ptrServers !== undefined ? { servers: p.ptrServers } : {}), ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}) });
  try {
    await addStudyRejects(storage, study, rejects);
    const summary = await runClassifyStep(storage, study, {
      ptr: (ip) => ptr.ptr(ip),
      forward: async (name) => {
        const r = await resolver.resolve(name);
        return r.status === 'ok' ? r.addresses : [];
      },
      geo: geo ?? (fallback === undefined ? null : { country: (ip) => fallback(ip).country }),
      asn: asn ?? (fallback === undefined ? null : { asn: (ip) => { const a = fallback(ip).asn; return a === null ? null : { asn: a, org: null }; } }),
      blocklists,
      sinkholes,
      lifetimes: lifetimes.spans,
      dnsAddressMap,
      ...(p.concurrency !== undefined ? { concurrency: Math.min(p.concurrency, 256) } : {}),
      ...(env.now !== undefined ? { now: env.now } : {}),
      onProgress: (x) => env.onProgress?.('classify', x.done, x.total),
    });
    return {
      ...summary,
      blocklists: blocklists.map((b) => ({ feed: b.feed, format: b.format, snapshotDate: b.snapshotDate, entries: b.entries.length })),
      rejects: rejects.length,
      lifetimeSpans: lifetimes.spans.size,
      persistence,
    };
  } finally {
    await resolver.close();
  }
}

export interface ProbeStudyOptions {
  readonly active: boolean;
  readonly again?: boolean;
}

export async function probeStudy(storage: Storage, study: string, given: StudyParams, opts: ProbeStudyOptions, env: StudyEnvironment = {}): Promise<ProbeStepSummary & { rejects: number }> {
  await requireStudy(storage, study);
  const p = await openStudy(storage, study, given, env.now?.());
  let targetMap = new Map<string, string>();
  let rejects = 0;
  if (p.ircMap !== undefined) {
    const m = parseAddressMap(await readText(p.ircMap, 'IRC address map'), p.ircMap, true);
    targetMap = m.map;
    rejects = m.rejects.length;
    await addStudyRejects(storage, study, m.rejects);
  }
  const r = await runProbeStep(storage, study, {
    active: opts.active,
    ...(opts.again !== undefined ? { again: opts.again } : {}),
    ...(p.ircPort !== undefined ? { port: p.ircPort } : {}),
    ...(p.ircConcurrency !== undefined ? { concurrency: p.ircConcurrency } : {}),
    ...(p.ircTimeoutMs !== undefined ? { timeoutMs: p.ircTimeoutMs } : {}),
    targetMap,
    onProgress: (x) => env.onProgress?.('probe IRC', x.done, x.total),
  });
  return { ...r, rejects };
}
