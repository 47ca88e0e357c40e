/**
 * The study report as data: the four tables, the four country figures, the combined estimate and
 * the reach model. JSON, CSV and HTML are renderings of this one object.
 */
import type { StudyIpRecord } from '../../storage/repositories/traceback-ips.js';
import type { ResolutionRecord } from '../../storage/repositories/traceback-resolutions.js';
import type { ShortLivedShare } from '../lifetime/index.js';
import {
  blocklistTable,
  combinedEstimate,
  countryFigures,
  ircTable,
  lifetimeTable,
  ratio,
  reachTable,
  resolutionSummary,
  s25rTable,
  type BlocklistTable,
  type CombinedEstimate,
  type CountryFigures,
  type IrcTable,
  type Ratio,
  type ReachRow,
  type ResolutionSummary,
  type S25rTable,
} from './compute.js';

export interface StudyReportInput {
  readonly study: string;
  readonly generatedAt: string;
  readonly ips: readonly StudyIpRecord[];
  readonly resolutions: readonly ResolutionRecord[];
  readonly fastFlux: readonly string[];
  readonly rejects: number;
  /** Listing persistence of blocklists (older vs current snapshot of one feed), when history was given. */
  readonly persistence?: readonly PersistenceInput[];
}

export interface PersistenceInput {
  readonly feed: string;
  readonly olderDate: string | null;
  readonly newerDate: string | null;
  readonly newerEntries: number;
  readonly alsoInOlder: number;
  readonly monthsApart: number | null;
}

export interface PersistenceRow extends PersistenceInput {
  readonly ratio: Ratio;
}

export interface StudyReport {
  readonly study: string;
  readonly generatedAt: string;
  readonly resolution: ResolutionSummary;
  readonly fastFlux: readonly string[];
  readonly rejects: number;
  readonly ipCounts: Record<string, number>;
  readonly table1: S25rTable;
  readonly table2: BlocklistTable;
  /** Share of a current blocklist snapshot already listed in an older one. */
  readonly persistence: PersistenceRow[];
  readonly table3: IrcTable;
  readonly table4: ShortLivedShare;
  readonly figures: CountryFigures;
  readonly combined: CombinedEstimate;
  readonly reach: ReachRow[];
  /** What each figure means; printed under the tables. */
  readonly definitions: Record<string, string>;
}

export const DEFINITIONS: Record<string, string> = {
  population: 'C&C IPs are the distinct first A-record addresses of the C&C names (every round); DNS IPs are the servers that gave the authoritative A answer. Sinkholed addresses are counted apart and left out of every share.',
  s25r: 'End user: an S25R rule (1-6) fires on the PTR name, or rule 0 (no PTR, or a PTR whose forward lookup does not return the address), and the name is not whitelisted. Corrected = raw share minus the control set share (floored at 0); the true share is taken to lie in [corrected, raw].',
  persistence: 'Persistence: of the entries of a current blocklist snapshot, the share an older snapshot of the same list already carried (by value or inside a listed CIDR); sinkholes left out. The paper found 34% after about 9 months.',
  blocklists: 'Listed: the IP, a CIDR holding it, or its AS is on a blocklist snapshot given to the study.',
  irc: 'Open: the server answered NICK/USER with 001 (welcome) without a password. Share among C&C IPs that were probed.',
  lifetime: 'Days between the first and last date a C&C address (or a name that led to it) was listed. Under 7 days counts only ended listings; an address still listed with less than 7 days so far is undetermined and left out; end users are left out.',
  endUser: 'Combined end-user share of C&C IPs: [corrected, raw] from Table 1.',
  unmanaged: 'Bulletproof or unmanaged, a lower bound: C&C IPs on a blocklist that S25R does not call end users. Blocklists miss hosts, so the true share may be higher.',
  professional: 'Professional administrators, the remainder: low = 1 - raw end-user share - unmanaged (the IPs classified professional); high = 1 - corrected end-user share - unmanaged. If blocklists miss unmanaged hosts the true share is lower than the low end. Evidence: of those classified professional, the share with an open IRC server or a C&C life under 7 days.',
  reach: 'Reach p^(k+1): the chance a traceback passes k stepping stones and the final host when each of the k+1 hops is traced independently with probability p, p taken from the professional range. The paper prints 16-25% (k=1), 6-12% (k=2) and 1-3% (k=5); p^(k+1) over p in [0.4, 0.5] (which gives its k=1 and k=2 figures) yields 0.4-1.6% for k=5, so the paper\'s k=5 figure does not follow from the formula. This report prints what the formula gives.',
  fastFlux: 'Fast flux: a C&C name whose address set changed between successful resolution rounds (needs --rounds 2 or more).',
  wilson: 'Every share carries a 95% Wilson score interval.',
};

export function buildStudyReport(input: StudyReportInput): StudyReport {
  const table1 = s25rTable(input.ips);
  const combined = combinedEstimate(input.ips, table1);
  const ipCounts: Record<string, number> = {};
  for (const r of input.ips) ipCounts[r.role] = (ipCounts[r.role] ?? 0) + 1;
  return {
    study: input.study,
    generatedAt: input.generatedAt,
    resolution: resolutionSummary(input.resolutions),
    fastFlux: input.fastFlux,
    rejects: input.rejects,
    ipCounts,
    table1,
    table2: blocklistTable(input.ips),
    persistence: (input.persistence ?? []).map((p) => ({ ...p, ratio: ratio(p.alsoInOlder, p.newerEntries) })),
    table3: ircTable(input.ips),
    table4: lifetimeTable(input.ips),
    figures: countryFigures(input.ips),
    combined,
    reach: reachTable(combined.professional.range),
    definitions: DEFINITIONS,
  };
}
