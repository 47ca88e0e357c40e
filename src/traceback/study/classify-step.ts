/**
 * The classify step: for every IP the study found (DNS servers, C&C addresses and their control
 * counterparts) the PTR name and whether it resolves back, the S25R rules that fire, country and
 * AS, blocklist listings (by address, CIDR and AS, with snapshot dates), sinkholes, and the C&C
 * lifetime. Each IP then gets one class:
 *
 *   sinkhole      on the sinkhole list (kept out of every other class, "unmanaged" above all);
 *   end-user      S25R fires (rule 0 included) and the name is not whitelisted;
 *   unmanaged     listed by a blocklist (bulletproof or unmanaged hosting, a lower bound);
 *   professional  everything else.
 *
 * IRC verdicts already stored survive a re-classification.
 */
import type { FeedSnapshot } from '../../domain/feed-entry.js';
import type { AsnLookup, GeoLookup } from '../../enrich/types.js';
import { createBlocklistMatcher } from '../../feeds/match.js';
import type { SinkholeList } from '../../feeds/sinkholes.js';
import type { Storage } from '../../storage/schema.js';
import { getResolutions } from '../../storage/repositories/traceback-resolutions.js';
import { getStudyIps, saveStudyIps, type BlocklistListing, type IpClassification, type StudyIpRecord } from '../../storage/repositories/traceback-ips.js';
import { createS25rClassifier, type S25rOptions } from '../s25r/index.js';
import type { ListingSpan } from '../lifetime/index.js';
import { collectStudyIps } from './collect-ips.js';
import { lifetimeOf } from './lifetime-input.js';

export interface ClassifyDeps {
  /** PTR name of an address, lower case without the trailing dot; null when there is none. Never rejects. */
  readonly ptr: (ip: string) => Promise<string | null>;
  /** Addresses a host name resolves to; [] when it does not resolve. Never rejects. */
  readonly forward: (name: string) => Promise<readonly string[]>;
  readonly geo: GeoLookup | null;
  readonly asn: AsnLookup | null;
  readonly blocklists: readonly FeedSnapshot[];
  readonly sinkholes: SinkholeList | null;
  readonly lifetimes: ReadonlyMap<string, ListingSpan>;
  readonly dnsAddressMap?: ReadonlyMap<string, string>;
  readonly s25r?: S25rOptions;
  /** Look-ups at once. Default 32. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly onProgress?: (p: { done: number; total: number; ip: string }) => void;
}

export interface ClassifyStepSummary {
  readonly ips: number;
  readonly byRole: Record<string, number>;
  readonly byClass: Record<string, number>;
  readonly withPtr: number;
  readonly forwardConfirmed: number;
}

export function classifyIp(c: { endUser: boolean; sinkhole: string | null; blocklists: readonly unknown[] }): IpClassification {
  if (c.sinkhole !== null) return 'sinkhole';
  if (c.endUser) return 'end-user';
  if (c.blocklists.length > 0) return 'unmanaged';
  return 'professional';
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function runClassifyStep(storage: Storage, study: string, deps: ClassifyDeps): Promise<ClassifyStepSummary> {
  const now = deps.now ?? (() => new Date());
  const ips = collectStudyIps(await getResolutions(storage, study), deps.dnsAddressMap);
  const previous = new Map((await getStudyIps(storage, study)).map((r) => [`${r.role}\u0000${r.ip}`, r]));
  const matcher = createBlocklistMatcher(deps.blocklists);
  const s25r = createS25rClassifier(deps.s25r);
  // One PTR and forward look-up per address, whatever roles it has.
  const ptrCache = new Map<string, Promise<{ ptr: string | null; forward: readonly string[] | null }>>();
  const reverse = (ip: string): Promise<{ ptr: string | null; forward: readonly string[] | null }> => {
    let p = ptrCache.get(ip);
    if (p === undefined) {
      p = (async () => {
        const ptr = await deps.ptr(ip).catch(() => null);
        const forward = ptr === null ? null : await deps.forward(ptr).catch(() => [] as string[]);
        return { ptr, forward };
      })();
      ptrCache.set(ip, p);
    }
    return p;
  };
  const out: StudyIpRecord[] = [];
  let done = 0;
  await pool(ips, deps.concurrency ?? 32, async (c) => {
    const { ptr, forward } = await reverse(c.ip);
    const s = s25r({ ip: c.ip, ptr, forwardAddresses: forward });
    const asnHit = deps.asn?.asn(c.ip) ?? null;
    const asn = asnHit?.asn ?? null;
    const blocklists: BlocklistListing[] = matcher.match(c.ip, asn).map((h) => ({ feed: h.feed, snapshotDate: h.snapshotDate, by: h.by, value: h.entry.value }));
    const sinkhole = deps.sinkholes === null ? null : (deps.sinkholes.isSinkhole(c.ip) ?? (c.role === 'cc' || c.role === 'control-cc' ? (c.names.map((n) => deps.sinkholes?.isSinkholeName(n) ?? null).find((l) => l !== null) ?? null) : null));
    const span = c.role === 'cc' ? lifetimeOf(deps.lifetimes, c.ip, c.names) : null;
    const prev = previous.get(`${c.role}\u0000${c.ip}`);
    out.push({
      ip: c.ip,
      role: c.role,
      names: c.names,
      country: deps.geo?.country(c.ip) ?? null,
      asn,
      ptr,
      forwardOk: ptr === null || forward === null ? null : !s.rules.includes(0),
      s25rRules: s.rules,
      endUser: s.endUser,
      blocklists,
      sinkhole,
      ircVerdict: prev?.ircVerdict ?? null,
      ircDetail: prev?.ircDetail ?? null,
      lifetimeDays: span === null ? null : Math.round(span.days * 1000) / 1000,
      lifetimeCensored: span === null ? null : span.censored,
      classification: classifyIp({ endUser: s.endUser, sinkhole, blocklists }),
      classifiedAt: now().toISOString(),
    });
    deps.onProgress?.({ done: ++done, total: ips.length, ip: c.ip });
  });
  await saveStudyIps(storage, study, out);
  const count = (key: (r: StudyIpRecord) => string): Record<string, number> => {
    const m: Record<string, number> = {};
    for (const r of out) m[key(r)] = (m[key(r)] ?? 0) + 1;
    return m;
  };
  return {
    ips: out.length,
    byRole: count((r) => r.role),
    byClass: count((r) => `${r.role}:${r.classification}`),
    withPtr: out.filter((r) => r.ptr !== null).length,
    forwardConfirmed: out.filter((r) => r.forwardOk === true).length,
  };
}
