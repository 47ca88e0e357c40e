import type { Storage } from '../storage/schema.js';

/**
 * The workflow services the web layer calls (src/workflow/index.ts). Declared here as the small
 * subset the routes use, so tests can hand in fakes and src/main passes the real module.
 */


export interface IspRecord {
  readonly id: string;
  readonly name: string;
  readonly asns: readonly number[];
  readonly prefixes: readonly string[];
}

// These shapes are the workflow's own: the HTTP layer serves and accepts them as they are.
export type { IdentificationRequest, Observation, RequestItem, RequestSummary } from '../workflow/requests.js';
export type { AnswerResult, RejectedAnswer as RejectedRow } from '../workflow/answer-parse.js';
export type { SiteEvent } from '../workflow/site.js';
export type { ChecklistAnswer, ChecklistAnswers, ChecklistCounts } from '../workflow/checklist.js';
export type { AuditEntry } from '../workflow/audit.js';
import type { IdentificationRequest, RequestSummary } from '../workflow/requests.js';
import type { AnswerResult, RejectedAnswer as RejectedRow } from '../workflow/answer-parse.js';
import type { SiteEvent } from '../workflow/site.js';
import type { ChecklistAnswers, ChecklistCounts } from '../workflow/checklist.js';
import type { AuditEntry } from '../workflow/audit.js';

export type UploadOutcome =
  | { readonly ok: true; readonly applied: number }
  | { readonly ok: false; readonly rejected: readonly RejectedRow[]; readonly tooLarge?: boolean };

export interface NoticeReport {
  readonly trackingId: string;
  readonly stage: number;
  readonly channel: 'email' | 'postal';
  readonly sentAt: string;
}

export interface ActivityRow {
  readonly trackingId: string;
  readonly ticket: string;
  readonly state: string;
  readonly subscriberKey: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly visitedAt: string | null;
  readonly downloadedAt: string | null;
  readonly completedAt: string | null;
  readonly remediatedAt: string | null;
  readonly reinfected: boolean | number;
  /** Counts of the user's checklist answers (latest submission), null when none was sent. */
  readonly checklist?: ChecklistCounts | null;
}

/** What the public pages may show about an incident: no addresses, no subscriber key. */
export interface IncidentView {
  readonly trackingId: string;
  readonly ticket: string;
  readonly ispId: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
}

/** Figures are shown as a plain table of named numbers; the service decides which. */
export type Figures = object;

/** Notices are recorded as a whole or not at all; a foreign or unknown tracking ID rejects the batch. */
export type NoticesOutcome =
  | { readonly ok: true; readonly recorded: number }
  | { readonly ok: false; readonly rejected: readonly { readonly index: number; readonly trackingId: string | null; readonly reason: string }[] };

/** What the public notice check may show for a ticket. */
export interface TicketCheck {
  readonly ticket: string;
  readonly ispName: string;
  readonly firstSeenDay: string;
  readonly lastSeenDay: string;
}

export interface WorkflowServices {
  createIsp(storage: Storage, isp: { id?: string; name: string; asns: number[]; prefixes: string[] }, actor: string): Promise<unknown>;
  updateIsp(storage: Storage, ispId: string, changes: { name?: string; asns?: number[]; prefixes?: string[] }, actor: string): Promise<unknown>;
  listIsps(storage: Storage): Promise<readonly IspRecord[]>;
  rotateIspToken(storage: Storage, ispId: string, actor: string): Promise<{ token: string }>;
  authenticateIspToken(storage: Storage, token: string): Promise<{ ispId: string } | null>;
  listRequests(storage: Storage, ispId: string): Promise<readonly RequestSummary[]>;
  getRequest(storage: Storage, ispId: string, requestId: string, options?: { publicUrl?: string | null }): Promise<IdentificationRequest | null>;
  requestToCsv(req: IdentificationRequest): string;
  /** A JSON text (or a value to serialise). */
  requestToJson(req: IdentificationRequest): unknown;
  requestToXarf(req: IdentificationRequest, reporter: { org: string; contact: string; domain: string }): unknown;
  applyAnswerUpload(
    storage: Storage,
    ispId: string,
    upload: { body: string; contentType: 'application/json' | 'text/csv'; maxRows?: number; maxBytes?: number },
    actor: string,
  ): Promise<UploadOutcome>;
  recordNotices(storage: Storage, ispId: string, notices: readonly NoticeReport[]): Promise<NoticesOutcome>;
  siteActivity(storage: Storage, ispId: string, opts: { since?: string }): Promise<readonly ActivityRow[]>;
  recordSiteEvent(storage: Storage, trackingId: string, event: SiteEvent, at: string): Promise<unknown>;
  /** Stores the five answers and marks the incident completed; without it the site records "completed" only. */
  recordChecklist?(storage: Storage, trackingId: string, answers: ChecklistAnswers, at: string): Promise<unknown>;
  /** Checklist counts of the ISP's incidents by tracking ID; /activity shows them when offered. */
  checklistCounts?(storage: Storage, ispId: string): Promise<ReadonlyMap<string, ChecklistCounts>>;
  incidentByTicket(storage: Storage, ticket: string): Promise<TicketCheck | null>;
  incidentByTrackingId(storage: Storage, trackingId: string): Promise<IncidentView | null>;
  verifyOperator(storage: Storage, username: string, password: string): Promise<boolean>;
  /** Database-backed operator sessions (shared by every serve process); in-memory sessions are used without them. */
  createOperatorSession?(storage: Storage, username: string, ttlHours?: number): Promise<{ sessionId: string; username: string; csrfToken: string; expiresAt: string }>;
  operatorSession?(storage: Storage, sessionId: string): Promise<{ username: string; csrfToken: string; expiresAt: string } | null>;
  endOperatorSession?(storage: Storage, sessionId: string): Promise<void>;
  listAudit(storage: Storage, opts: { limit?: number }): Promise<readonly AuditEntry[]>;
  workflowFigures(storage: Storage, opts: { ispId?: string; month?: string }): Promise<Figures>;
}
