import type { Storage } from '../storage/schema.js';
import type { WorkflowServices } from './services.js';
import type { SessionStore } from './sessions.js';

/** Size and rate limits of the web layer. */
export interface HttpLimits {
  /** Largest answer upload body in bytes (413 above it). */
  readonly answerBytes: number;
  /** Most answer rows one upload may carry. */
  readonly answerRows: number;
  /** Failed sign-ins per user name or address before sign-in is refused for the window. */
  readonly loginFailures: number;
  readonly loginWindowMs: number;
  /** Ticket checks per address per window on the public /check page. */
  readonly checksPerWindow: number;
  readonly checkWindowMs: number;
  readonly sessionTtlMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  answerBytes: 32 * 1024 * 1024,
  answerRows: 200_000,
  loginFailures: 5,
  loginWindowMs: 15 * 60_000,
  checksPerWindow: 20,
  checkWindowMs: 60_000,
  sessionTtlMs: 8 * 3600_000,
};

export interface HttpConfig {
  /** Base URL the center is reached at, without trailing slash; https:// makes cookies Secure. */
  readonly publicUrl: string;
  /** Signs session cookies; processes that share sessions must share it. At least 32 characters; never logged. */
  readonly sessionSecret: string;
  readonly limits?: Partial<HttpLimits>;
  /** Reverse proxies (addresses or CIDR prefixes) allowed to set the client address with X-Forwarded-For; none by default. */
  readonly trustProxy?: readonly string[];
  /** Who the center is in X-ARF reports; derived from publicUrl when absent. */
  readonly reporter?: { readonly org: string; readonly contact: string; readonly domain: string };
}

/** Everything buildApp needs, handed in by the composition root (src/main) or a test. */
export interface HttpDeps {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly config: HttpConfig;
  /**
   * Session stores. Both default to the workflow's database sessions when the services offer them
   * (so several serve processes share them), else memory.
   */
  readonly sessions?: { readonly operator?: SessionStore; readonly portal?: SessionStore };
  /** Fastify's logger option: false in tests, a pino options object in `serve`. */
  readonly logger?: boolean | Record<string, unknown>;
  /** The clock, for tests. */
  readonly now?: () => Date;
}
