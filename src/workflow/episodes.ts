import { isStage, stageStrength, STAGES } from '../domain/event.js';

/** One event of a source, as the incident builder needs it. Sorted by time before grouping. */
export interface Sighting {
  readonly time: string;
  readonly srcPort: number | null;
  readonly dstPort: number | null;
  readonly dstIp: string | null;
  readonly protocol: string;
  readonly stage: string;
  readonly vulnerability: string | null;
  /** Signature name when a scanner knew the sample, else a hash prefix; null without a sample. */
  readonly botName: string | null;
}

/** An incident already stored for the same ISP and source. */
export interface KnownIncident {
  readonly incidentId: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** When the user's part ended (completed, remediated, reinfected); later activity is a new episode. */
  readonly closedAt: string | null;
}

export interface EpisodeSummary {
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly vulnerabilities: string[];
  readonly botNames: string[];
  readonly strongestStage: string;
  /** One per attack (its first event), oldest first. */
  readonly observations: ObservationTuple[];
}

/** [time, srcPort, dstIp, dstPort, protocol]: compact, as stored on the incident. */
export type ObservationTuple = [string, number | null, string | null, number | null, string];

/**
 * The observations as stored and served: JSON objects in the key order of the API's Observation, so
 * that a request download can pass the stored text through without parsing it.
 */
export function observationsJson(observations: readonly ObservationTuple[]): string {
  return JSON.stringify(observations.map(([time, srcPort, dstIp, dstPort, protocol]) => ({ time, srcPort, dstIp, dstPort, protocol })));
}

export interface Grouping {
  /** Known incidents that received sightings, summarised over all of them. */
  readonly known: Map<string, EpisodeSummary>;
  /** Runs of sightings that belong to no known incident, oldest first. */
  readonly fresh: EpisodeSummary[];
}

/**
 * Several events make one attack (connect, exploit, download of one connection): an attack is one
 * (source port, destination port, minute). Requests list one observation per attack and the attack
 * count counts the same thing.
 */
export function attackKey(time: string, srcPort: number | null, dstPort: number | null): string {
  return `${srcPort ?? ''}:${dstPort ?? ''}:${time.slice(0, 16)}`;
}

/**
 * Assigns a source's sightings to episodes. A sighting joins a known incident when it falls within
 * `gapMs` of it (and not after the incident was closed); the rest form new episodes, split wherever
 * two sightings are more than `gapMs` apart. Pure and order-independent given sorted input, so
 * re-running over the same events gives the same result.
 */
export function groupSightings(sightings: readonly Sighting[], known: readonly KnownIncident[], gapMs: number): Grouping {
  const windows = known.map((k) => ({
    k,
    first: Date.parse(k.firstSeen),
    last: Date.parse(k.lastSeen),
    closed: k.closedAt === null ? Infinity : Date.parse(k.closedAt),
    items: [] as Sighting[],
  }));
  const fresh: Sighting[][] = [];
  let current: Sighting[] | null = null;
  let currentLast = -Infinity;
  for (const s of sightings) {
    const t = Date.parse(s.time);
    const w = windows.find((x) => t >= x.first - gapMs && t <= x.last + gapMs && t <= x.closed);
    if (w !== undefined) {
      w.items.push(s);
      if (t > w.last) w.last = t;
      if (t < w.first) w.first = t;
      continue;
    }
    if (current === null || t - currentLast > gapMs) {
      current = [];
      fresh.push(current);
    }
    current.push(s);
    currentLast = t;
  }
  const out = new Map<string, EpisodeSummary>();
  for (const w of windows) if (w.items.length > 0) out.set(w.k.incidentId, summarise(w.items));
  return { known: out, fresh: fresh.map(summarise) };
}

export function summarise(items: readonly Sighting[]): EpisodeSummary {
  let first = items[0]?.time ?? '';
  let last = first;
  let strongest = 0;
  const attacks = new Set<string>();
  const observations: ObservationTuple[] = [];
  const vulns = new Set<string>();
  const bots = new Set<string>();
  for (const s of items) {
    if (s.time < first) first = s.time;
    if (s.time > last) last = s.time;
    const key = attackKey(s.time, s.srcPort, s.dstPort);
    if (!attacks.has(key)) {
      attacks.add(key);
      observations.push([s.time, s.srcPort, s.dstIp, s.dstPort, s.protocol]);
    }
    if (s.vulnerability !== null) vulns.add(s.vulnerability);
    if (s.botName !== null) bots.add(s.botName);
    if (isStage(s.stage)) strongest = Math.max(strongest, stageStrength(s.stage));
  }
  return {
    firstSeen: first,
    lastSeen: last,
    attackCount: attacks.size,
    vulnerabilities: [...vulns].sort(),
    botNames: [...bots].sort(),
    strongestStage: STAGES[strongest] ?? 'connect',
    observations: observations.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}
