import { isClosed, isIncidentState, mayRemediate, type IncidentState } from '../domain/incident-state.js';
import type { Kysely } from 'kysely';
import type { Database, Storage } from '../storage/schema.js';
import { liveImportIds } from '../storage/repositories/imports-repository.js';
import { insertMany, wdb, type IncidentObservationsTable, type IncidentsTable, type WorkflowTx } from '../storage/repositories/workflow-tables.js';
import { chunkRows } from '../storage/repositories/batch.js';
import { groupSightings, observationsJson, type EpisodeSummary, type KnownIncident, type Sighting } from './episodes.js';
import { newId, newTicket, newTrackingId } from './identifiers.js';

export interface BuildIncidentsOptions {
  /** Sightings further apart than this start a new infection episode. Default 7. */
  readonly gapDays?: number;
  /** An identified incident with no activity for this long is remediated. Default 30. */
  readonly remediationDays?: number;
  readonly now?: Date;
  /** Re-read every source, not only those touched by imports not yet read. */
  readonly full?: boolean;
}

export interface BuildIncidentsResult {
  readonly created: number;
  readonly extended: number;
  readonly reinfected: number;
  readonly remediated: number;
  /** Sources (ISP × IP) re-read. */
  readonly sources: number;
  /** ISP names found on events that match no registered ISP: their events make no incidents. */
  readonly unregisteredIsps: string[];
}

const DAY_MS = 86_400_000;

/**
 * Turns enriched events into incidents, one per ISP × source IP × infection episode. Incremental:
 * only sources touched by imports not yet read are re-read (all of their events, so the result is
 * the same as a full rebuild), and re-running changes nothing. One transaction.
 */
export async function buildIncidents(storage: Storage, options: BuildIncidentsOptions = {}): Promise<BuildIncidentsResult> {
  const gapMs = (options.gapDays ?? 7) * DAY_MS;
  const now = (options.now ?? new Date()).toISOString();
  const db = wdb(storage);
  const isps = await db.selectFrom('isps').select(['id', 'name']).execute();
  const ispOf = new Map<string, string>();
  for (const i of isps) {
    ispOf.set(i.name, i.id);
    ispOf.set(i.id, i.id);
  }

  return db.transaction().execute(async (tx) => {
    // A killed ingest stays 'running'; only imports whose heartbeat is recent are still being written.
    const running = await liveImportIds(tx as unknown as Kysely<Database>);
    const done = new Set((await tx.selectFrom('incident_imports').select('import_id').execute()).map((r) => r.import_id));
    // Only imports that brought events of an ISP matter here (the partial index events_isp_import holds just those).
    const present = (await tx.selectFrom('events').select('import_id').distinct().where('isp', 'is not', null).execute()).map((r) => r.import_id);
    const pending = present.filter((id) => !running.has(id) && (options.full === true || !done.has(id)));

    const pairs = new Map<string, Set<string>>();
    const unregistered = new Set<string>();
    for (const part of chunkRows(pending.map((id) => ({ id })), 500)) {
      const rows = await tx
        .selectFrom('events')
        .select(['isp', 'src_ip'])
        .distinct()
        .where('isp', 'is not', null)
        .where('import_id', 'in', part.map((p) => p.id))
        .execute();
      for (const r of rows) {
        const isp = r.isp as string;
        if (!ispOf.has(isp)) {
          unregistered.add(isp);
          continue;
        }
        let set = pairs.get(isp);
        if (set === undefined) pairs.set(isp, (set = new Set()));
        set.add(r.src_ip);
      }
    }

    const counts = { created: 0, extended: 0, reinfected: 0, sources: 0 };
    for (const [eventIsp, ips] of pairs) {
      const ispId = ispOf.get(eventIsp) as string;
      for (const part of chunkRows([...ips].map((ip) => ({ ip })), 400)) {
        const chunk = part.map((p) => p.ip);
        const sightings = await loadSightings(tx, eventIsp, chunk);
        const known = await tx
          .selectFrom('incidents as i')
          .leftJoin('incident_observations as o', 'o.incident_id', 'i.incident_id')
          .selectAll('i')
          .select('o.observations')
          .where('i.isp_id', '=', ispId)
          .where('i.src_ip', 'in', chunk)
          .orderBy('i.first_seen')
          .execute();
        const knownByIp = new Map<string, typeof known>();
        for (const k of known) {
          const list = knownByIp.get(k.src_ip) ?? [];
          list.push(k);
          knownByIp.set(k.src_ip, list);
        }
        const fresh: IncidentsTable[] = [];
        const freshObservations: IncidentObservationsTable[] = [];
        for (const ip of chunk) {
          counts.sources++;
          const mine = knownByIp.get(ip) ?? [];
          const g = groupSightings(
            sightings.get(ip) ?? [],
            mine.map((k): KnownIncident => ({ incidentId: k.incident_id, firstSeen: k.first_seen, lastSeen: k.last_seen, closedAt: closedAt(k) })),
            gapMs,
          );
          for (const k of mine) {
            const s = g.known.get(k.incident_id);
            if (s === undefined || !changed(k, s)) continue;
            await tx
              .updateTable('incidents')
              .set({
                first_seen: s.firstSeen,
                last_seen: s.lastSeen,
                attack_count: s.attackCount,
                vulnerabilities: JSON.stringify(s.vulnerabilities),
                bot_names: JSON.stringify(s.botNames),
                strongest_stage: s.strongestStage,
                updated_at: now,
              })
              .where('incident_id', '=', k.incident_id)
              .execute();
            const observations = observationsJson(s.observations);
            if (observations !== k.observations) {
              await tx
                .insertInto('incident_observations')
                .values({ incident_id: k.incident_id, observations })
                .onConflict((oc) => oc.column('incident_id').doUpdateSet({ observations }))
                .execute();
            }
            counts.extended++;
          }
          let episode = mine.reduce((m, k) => Math.max(m, k.episode), 0);
          for (const s of g.fresh) {
            // The latest incident of this source that ended before this run began: this is its reinfection.
            const before = [...mine].reverse().find((k) => k.first_seen < s.firstSeen && isClosed(k.state as IncidentState) && k.state !== 'reinfected');
            const incidentId = newId('inc');
            fresh.push(incidentRow({ incidentId, ispId, eventIsp, ip, episode: ++episode, summary: s, now, previous: before?.incident_id ?? null }));
            freshObservations.push({ incident_id: incidentId, observations: observationsJson(s.observations) });
            counts.created++;
            if (before !== undefined) {
              await setState(tx, before.incident_id, 'reinfected', s.firstSeen, now, `new activity ${s.firstSeen} from the same source`);
              (before as { state: string }).state = 'reinfected';
              counts.reinfected++;
            }
          }
        }
        await insertIncidents(storage, tx, fresh, now);
        await insertMany(storage, tx, 'incident_observations', freshObservations);
      }
    }

    for (const part of chunkRows(pending.filter((id) => !done.has(id)).map((id) => ({ import_id: id, processed_at: now })), 1000)) {
      await tx.insertInto('incident_imports').values(part).execute();
    }
    const remediated = await remediateQuiet(tx, options.remediationDays ?? 30, now);
    return { ...counts, remediated, unregisteredIsps: [...unregistered].sort() };
  });
}

function closedAt(k: { state: string; completed_at: string | null; remediated_at: string | null; reinfected_at: string | null }): string | null {
  if (!isIncidentState(k.state) || !isClosed(k.state)) return null;
  return k.completed_at ?? k.remediated_at ?? k.reinfected_at;
}

function changed(k: { first_seen: string; last_seen: string; attack_count: number; vulnerabilities: string; bot_names: string; strongest_stage: string; observations: string | null }, s: EpisodeSummary): boolean {
  return (
    k.first_seen !== s.firstSeen ||
    k.last_seen !== s.lastSeen ||
    Number(k.attack_count) !== s.attackCount ||
    k.vulnerabilities !== JSON.stringify(s.vulnerabilities) ||
    k.bot_names !== JSON.stringify(s.botNames) ||
    k.strongest_stage !== s.strongestStage ||
    k.observations !== observationsJson(s.observations)
  );
}

async function loadSightings(tx: WorkflowTx, eventIsp: string, ips: readonly string[]): Promise<Map<string, Sighting[]>> {
  const rows = await tx
    .selectFrom('events as e')
    .leftJoin('sample_sightings as ss', 'ss.event_key', 'e.event_key')
    .select(['e.src_ip', 'e.time', 'e.src_port', 'e.dst_port', 'e.dst_ip', 'e.protocol', 'e.stage', 'e.vulnerability', 'e.sample_sha256', 'e.sample_sha1', 'e.sample_md5', 'ss.sample_key'])
    .where('e.isp', '=', eventIsp)
    .where('e.src_ip', 'in', ips)
    .orderBy('e.src_ip')
    .orderBy('e.time')
    .execute();
  const keys = [...new Set(rows.map((r) => r.sample_key).filter((k): k is string => k !== null))];
  const signature = new Map<string, string>();
  for (const part of chunkRows(keys.map((k) => ({ k })), 1000)) {
    const verdicts = await tx
      .selectFrom('sample_verdicts')
      .select(['sample_key', 'signature'])
      .where('verdict', '=', 'known')
      .where('signature', 'is not', null)
      .where('sample_key', 'in', part.map((p) => p.k))
      .orderBy('scanned_at')
      .execute();
    for (const v of verdicts) signature.set(v.sample_key, v.signature as string);
  }
  const out = new Map<string, Sighting[]>();
  for (const r of rows) {
    const hash = r.sample_sha256 !== null ? `sha256:${r.sample_sha256.slice(0, 12)}` : r.sample_md5 !== null ? `md5:${r.sample_md5.slice(0, 12)}` : r.sample_sha1 !== null ? `sha1:${r.sample_sha1.slice(0, 12)}` : null;
    const botName = (r.sample_key !== null ? signature.get(r.sample_key) : undefined) ?? hash;
    let list = out.get(r.src_ip);
    if (list === undefined) out.set(r.src_ip, (list = []));
    list.push({ time: r.time, srcPort: r.src_port, dstPort: r.dst_port, dstIp: r.dst_ip, protocol: r.protocol, stage: r.stage, vulnerability: r.vulnerability, botName });
  }
  return out;
}

interface NewIncident {
  readonly incidentId: string;
  readonly ispId: string;
  readonly eventIsp: string;
  readonly ip: string;
  readonly episode: number;
  readonly summary: EpisodeSummary;
  readonly now: string;
  readonly previous: string | null;
}

function incidentRow(n: NewIncident): IncidentsTable {
  const s = n.summary;
  return {
    incident_id: n.incidentId,
    tracking_id: newTrackingId(),
    ticket: '',
    isp_id: n.ispId,
    event_isp: n.eventIsp,
    src_ip: n.ip,
    episode: n.episode,
    first_seen: s.firstSeen,
    last_seen: s.lastSeen,
    attack_count: s.attackCount,
    vulnerabilities: JSON.stringify(s.vulnerabilities),
    bot_names: JSON.stringify(s.botNames),
    strongest_stage: s.strongestStage,
    state: 'detected',
    subscriber_key: null,
    answer_seq: 0,
    first_notice: null,
    previous_incident_id: n.previous,
    requested_until: null,
    detected_at: n.now,
    requested_at: null,
    identified_at: null,
    not_found_at: null,
    not_our_customer_at: null,
    notified_at: null,
    notice_stage: 0,
    visited_at: null,
    downloaded_at: null,
    completed_at: null,
    remediated_at: null,
    reinfected_at: null,
    updated_at: n.now,
  };
}

/** Inserts new incidents in bulk, each with a ticket no other incident holds. */
async function insertIncidents(storage: Storage, tx: WorkflowTx, rows: IncidentsTable[], now: string): Promise<void> {
  if (rows.length === 0) return;
  // A 30-bit ticket collides now and then among many incidents: draw again until every one is free.
  const taken = new Set<string>();
  let open = rows;
  for (let round = 0; open.length > 0; round++) {
    if (round > 50) throw new Error('no free ticket numbers left');
    for (const r of open) {
      do r.ticket = newTicket();
      while (taken.has(r.ticket));
      taken.add(r.ticket);
    }
    const clash = new Set<string>();
    for (const part of chunkRows(open.map((r) => ({ t: r.ticket })), 5000)) {
      const hits = await tx.selectFrom('incidents').select('ticket').where('ticket', 'in', part.map((p) => p.t)).execute();
      for (const h of hits) clash.add(h.ticket);
    }
    open = open.filter((r) => clash.has(r.ticket));
  }
  const inserted = await insertMany(storage, tx, 'incidents', rows);
  // insertIgnore skips a row on any unique clash; only a concurrent builder could cause one here.
  if (inserted !== rows.length) throw new Error(`incident insert clashed with a concurrent build (${rows.length - inserted} rows); run incidents build again`);
  await insertMany(
    storage,
    tx,
    'incident_state_log',
    rows.map((r) => ({ incident_id: r.incident_id, state: 'detected', at: now, detail: `episode ${r.episode}, first seen ${r.first_seen}` })),
  );
}

/** Moves an incident to a state, stamps the state's time and logs the step. */
export async function setState(tx: WorkflowTx, incidentId: string, state: IncidentState, at: string, now: string, detail: string | null): Promise<void> {
  const stamp = { [`${state.replace(/-/g, '_')}_at`]: at } as Record<string, string>;
  await tx.updateTable('incidents').set({ state, ...stamp, updated_at: now }).where('incident_id', '=', incidentId).execute();
  await tx.insertInto('incident_state_log').values({ incident_id: incidentId, state, at, detail }).execute();
}

async function remediateQuiet(tx: WorkflowTx, days: number, now: string): Promise<number> {
  const cutoff = new Date(Date.parse(now) - days * DAY_MS).toISOString();
  const states = (['identified', 'notified', 'visited', 'downloaded', 'completed'] as const).filter((s) => mayRemediate(s));
  // Quiet means the source is quiet: a newer episode of the same source keeps the older one open.
  const quiet = await tx
    .selectFrom('incidents as i')
    .select('i.incident_id')
    .where('i.state', 'in', states)
    .where('i.last_seen', '<', cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('incidents as o').select('o.incident_id').whereRef('o.isp_id', '=', 'i.isp_id').whereRef('o.src_ip', '=', 'i.src_ip').where('o.last_seen', '>=', cutoff))),
    )
    .execute();
  for (const part of chunkRows(quiet, 1000)) {
    const ids = part.map((q) => q.incident_id);
    await tx.updateTable('incidents').set({ state: 'remediated', remediated_at: now, updated_at: now }).where('incident_id', 'in', ids).execute();
    await tx
      .insertInto('incident_state_log')
      .values(ids.map((id) => ({ incident_id: id, state: 'remediated', at: now, detail: `no activity for ${days} days` })))
      .execute();
  }
  return quiet.length;
}
