/**
 * The client side of docs/isp-api.md. Only tracking IDs, results, opaque keys and notice counts
 * ever leave through here; the types below have no field that could carry subscriber data.
 */
import { UserError } from '../domain/errors.js';

export interface CenterResponse {
  readonly status: number;
  readonly body: unknown;
}

/** One HTTP exchange with the center, relative to /api/isp/v1. Swappable for app.inject in the demo. */
export type CenterTransport = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<CenterResponse>;

export interface RequestSummary {
  readonly requestId: string;
  readonly week: string;
  readonly createdAt: string;
  readonly itemCount: number;
  readonly answeredCount: number;
}

export interface Observation {
  readonly time: string;
  readonly srcPort: number | null;
  readonly dstIp?: string | null;
  readonly dstPort?: number | null;
  readonly protocol?: string | null;
}

export interface RequestItem {
  readonly trackingId: string;
  readonly ticket: string;
  readonly srcIp: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
  readonly vulnerabilities: readonly string[];
  readonly trackingUrl: string;
  readonly observations: readonly Observation[];
}

export interface IdentificationRequest {
  readonly requestId: string;
  readonly week: string;
  readonly createdAt: string;
  readonly items: readonly RequestItem[];
}

export type AnswerResult = 'identified' | 'not-found' | 'not-our-customer';

/** Exactly what is uploaded per incident. */
export interface Answer {
  readonly trackingId: string;
  readonly result: AnswerResult;
  readonly subscriberKey?: string;
}

export interface AnswerRejection {
  readonly row: number;
  readonly trackingId: string;
  readonly reason: string;
}

export type AnswerUpload = { readonly ok: true; readonly applied: number } | { readonly ok: false; readonly rejected: readonly AnswerRejection[] };

export interface NoticeReport {
  readonly trackingId: string;
  readonly stage: number;
  readonly channel: 'email' | 'postal';
  readonly sentAt: string;
}

export interface IncidentActivity {
  readonly trackingId: string;
  readonly ticket?: string;
  readonly state: string;
  readonly subscriberKey?: string | null;
  readonly visitedAt: string | null;
  readonly downloadedAt: string | null;
  readonly completedAt: string | null;
  readonly remediatedAt: string | null;
  readonly reinfected: boolean;
}

export interface CenterClient {
  listRequests(): Promise<RequestSummary[]>;
  getRequest(requestId: string): Promise<IdentificationRequest>;
  uploadAnswers(answers: readonly Answer[]): Promise<AnswerUpload>;
  reportNotices(notices: readonly NoticeReport[]): Promise<number>;
  activity(): Promise<IncidentActivity[]>;
}

const API = '/api/isp/v1';

/** A transport over fetch to a center URL. The token goes in the header only and is never logged. */
export function httpTransport(baseUrl: string, token: string, timeoutMs = 30_000): CenterTransport {
  const root = baseUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const url = `${root}${API}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new UserError('DATABASE_UNAVAILABLE', `the center at ${root} cannot be reached: ${(e as Error).message}`);
    }
    const text = await res.text();
    return { status: res.status, body: parseJson(text) };
  };
}

/** The part of a Fastify instance the in-process transport needs. */
export interface InjectableApp {
  inject(opts: { method: string; url: string; headers: Record<string, string>; payload?: string }): Promise<{ statusCode: number; body: string }>;
}

/** A transport into an in-process app (app.inject): the demo needs no socket. */
export function injectTransport(app: InjectableApp, token: string): CenterTransport {
  return async (method, path, body) => {
    const res = await app.inject({
      method,
      url: `${API}${path}`,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: parseJson(res.body) };
  };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return { unparsed: text.slice(0, 200) };
  }
}

function failure(what: string, r: CenterResponse): UserError {
  const err = (r.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const detail = err && typeof err.message === 'string' ? `: ${String(err.code ?? '')} ${err.message}` : '';
  if (r.status === 401 || r.status === 403) return new UserError('UNAUTHORIZED', `${what}: the center refused the API token (HTTP ${r.status})${detail}`);
  return new UserError('DATABASE_UNAVAILABLE', `${what}: the center answered HTTP ${r.status}${detail}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createCenterClient(transport: CenterTransport): CenterClient {
  return {
    async listRequests() {
      const r = await transport('GET', '/requests');
      if (r.status !== 200 || !isRecord(r.body) || !Array.isArray(r.body['requests'])) throw failure('listing requests', r);
      return r.body['requests'] as RequestSummary[];
    },
    async getRequest(requestId) {
      const r = await transport('GET', `/requests/${encodeURIComponent(requestId)}?format=json`);
      if (r.status !== 200 || !isRecord(r.body) || !Array.isArray(r.body['items'])) throw failure(`reading request ${requestId}`, r);
      return r.body as unknown as IdentificationRequest;
    },
    async uploadAnswers(answers) {
      // Built field by field so that nothing but these three can reach the wire.
      const clean = answers.map((a) => (a.subscriberKey !== undefined ? { trackingId: a.trackingId, result: a.result, subscriberKey: a.subscriberKey } : { trackingId: a.trackingId, result: a.result }));
      const r = await transport('POST', '/answers', { answers: clean });
      if (r.status === 200 && isRecord(r.body)) return { ok: true, applied: Number(r.body['applied'] ?? 0) };
      if (r.status === 422 && isRecord(r.body) && Array.isArray(r.body['rejected'])) return { ok: false, rejected: r.body['rejected'] as AnswerRejection[] };
      throw failure('uploading answers', r);
    },
    async reportNotices(notices) {
      const clean = notices.map((n) => ({ trackingId: n.trackingId, stage: n.stage, channel: n.channel, sentAt: n.sentAt }));
      const r = await transport('POST', '/notices', { notices: clean });
      if (r.status !== 200 || !isRecord(r.body)) throw failure('reporting notices', r);
      return Number(r.body['recorded'] ?? 0);
    },
    async activity() {
      const r = await transport('GET', '/activity');
      if (r.status !== 200 || !isRecord(r.body) || !Array.isArray(r.body['incidents'])) throw failure('reading activity', r);
      return r.body['incidents'] as IncidentActivity[];
    },
  };
}
