/**
 * The parameters of a study, as stored with it (JSON) so that later steps and a resumed study use
 * the same inputs. Paths are kept as given. `active` (IRC probing of third-party hosts) is never
 * stored: the operator must say it on every run.
 */
import { z } from 'zod';
import { UserError } from '../../domain/errors.js';

const listFile = z.object({ path: z.string(), format: z.string().optional(), snapshotDate: z.string().optional(), feed: z.string().optional() });

export const studyParamsSchema = z.object({
  /** C&C domain (or IP) lists. */
  lists: z.array(listFile).optional(),
  /** Category filter: category names, or "/pattern/flags" tested against category, malware and description. */
  category: z.array(z.string()).optional(),
  /** The benign control list (names whose servers and addresses S25R should not flag). */
  control: z.array(listFile).optional(),
  /** Root hints file; the resolver starts there. */
  rootHints: z.string().optional(),
  /** DNS port of every query (53 in the wild). */
  port: z.number().int().min(1).max(65535).optional(),
  rounds: z.number().int().min(1).max(1000).optional(),
  intervalMs: z.number().int().min(0).optional(),
  concurrency: z.number().int().min(1).max(10_000).optional(),
  timeoutMs: z.number().int().min(1).optional(),
  /** File of "listener data-address" lines for DNS servers (laboratory worlds). */
  dnsAddressMap: z.string().optional(),
  /** PTR look-ups through these servers ("host" or "host:port"); the system's resolvers when absent. */
  ptrServers: z.array(z.string()).optional(),
  /** Country database (MaxMind DB); the configured one when absent. */
  geoDb: z.string().optional(),
  /** ASN database (ip-location-db CSV or MaxMind DB); the configured one when absent. */
  asnDb: z.string().optional(),
  blocklists: z.array(listFile).optional(),
  /** Sinkhole list file: "value label" lines. */
  sinkholes: z.string().optional(),
  /** Dated snapshots of a C&C list, for lifetimes. */
  snapshots: z.array(listFile).optional(),
  /** C&C lists with first/last-seen columns (ThreatFox, Feodo), for lifetimes only. */
  lifetimes: z.array(listFile).optional(),
  /** Older snapshots of the blocklists (same feed name), for listing persistence. */
  blocklistHistory: z.array(listFile).optional(),
  ircPort: z.number().int().min(1).max(65535).optional(),
  /** File of "cc-address probe-target[:port]" lines (laboratory worlds). */
  ircMap: z.string().optional(),
  ircConcurrency: z.number().int().min(1).max(256).optional(),
  ircTimeoutMs: z.number().int().min(1).optional(),
});

export type StudyParams = z.infer<typeof studyParamsSchema>;

/** Stored parameters read back leniently: a damaged field is dropped, not fatal. */
export function readStoredParams(raw: Record<string, unknown>): StudyParams {
  const out: Record<string, unknown> = {};
  const shape = studyParamsSchema.shape as Record<string, z.ZodType>;
  for (const [k, v] of Object.entries(raw)) {
    const field = shape[k];
    if (field !== undefined && field.safeParse(v).success) out[k] = v;
  }
  return out as StudyParams;
}

/** Category option text to the feeds filter: "/re/i" is a pattern, anything else a list of names. */
export function categoryFilter(category: readonly string[] | undefined): readonly string[] | RegExp | undefined {
  if (category === undefined || category.length === 0) return undefined;
  const first = category[0] as string;
  const m = /^\/(.*)\/([a-z]*)$/.exec(first);
  if (m !== null && category.length === 1) {
    try {
      return new RegExp(m[1] as string, m[2]);
    } catch (e) {
      throw new UserError('USAGE', `--category ${first}: ${(e as Error).message}`);
    }
  }
  return category;
}
