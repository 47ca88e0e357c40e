import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { IdentificationRequest, IncidentActivity } from '../center-client.js';

/** Everything that reached the fake center, for assertions about what the client sent. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly token: string | null;
  readonly body: string;
}

export interface FakeCenter {
  readonly url: string;
  readonly received: Received[];
  readonly answers: Map<string, { result: string; subscriberKey?: string }>;
  readonly notices: { trackingId: string; stage: number; channel: string; sentAt: string }[];
  addRequest(token: string, request: IdentificationRequest): void;
  setActivity(token: string, trackingId: string, patch: Partial<IncidentActivity>): void;
  /**
   * Failure modes a real center does not produce on demand: answer every request to this API
   * path (e.g. "/notices") with the status, or never answer ("hang"); null heals it.
   */
  fault(path: string, how: number | 'hang' | null): void;
  close(): Promise<void>;
}

interface IspState {
  requests: IdentificationRequest[];
  activity: Map<string, IncidentActivity>;
}

/**
 * An in-process center that follows docs/isp-api.md (base path, bearer tokens scoped to one ISP,
 * error shape, whole-or-nothing answers) on 127.0.0.1. The end-to-end test runs against the real
 * center (real-center.ts); this one serves the tests of failure modes and hostile data.
 */
export async function startFakeCenter(): Promise<FakeCenter> {
  const isps = new Map<string, IspState>();
  const received: Received[] = [];
  const answers = new Map<string, { result: string; subscriberKey?: string }>();
  const notices: FakeCenter['notices'] = [];
  const faults = new Map<string, number | 'hang'>();
  const state = (token: string): IspState => {
    let s = isps.get(token);
    if (s === undefined) isps.set(token, (s = { requests: [], activity: new Map() }));
    return s;
  };
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string): void => send(res, status, { error: { code, message } });

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    received.push({ method: req.method ?? '', path: url.pathname, token, body });
    const base = '/api/isp/v1';
    if (!url.pathname.startsWith(base)) return error(res, 404, 'NOT_FOUND', 'not found');
    if (token === null || !isps.has(token)) return error(res, 401, 'UNAUTHORIZED', 'authentication is required');
    const isp = state(token);
    const path = url.pathname.slice(base.length);
    const fault = faults.get(path);
    if (fault === 'hang') return;
    if (fault !== undefined) return error(res, fault, 'INTERNAL', 'injected failure');
    const items = (): Map<string, IdentificationRequest['items'][number]> => new Map(isp.requests.flatMap((r) => r.items.map((i) => [i.trackingId, i] as const)));
    if (req.method === 'GET' && path === '/requests') {
      return send(res, 200, {
        requests: isp.requests.map((r) => ({ requestId: r.requestId, week: r.week, createdAt: r.createdAt, itemCount: r.items.length, answeredCount: r.items.filter((i) => answers.has(i.trackingId)).length })),
      });
    }
    const one = /^\/requests\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const r = isp.requests.find((x) => x.requestId === decodeURIComponent(one[1] as string));
      return r === undefined ? error(res, 404, 'NOT_FOUND', 'unknown request') : send(res, 200, { ...r, isp: 'fake' });
    }
    if (req.method === 'POST' && path === '/answers') {
      let parsed: { answers?: unknown };
      try {
        parsed = JSON.parse(body) as { answers?: unknown };
      } catch {
        return error(res, 400, 'BAD_REQUEST', 'body is not JSON');
      }
      if (!Array.isArray(parsed.answers)) return error(res, 400, 'BAD_REQUEST', 'answers must be an array');
      const known = items();
      const seen = new Set<string>();
      const rejected: { row: number; trackingId: string; reason: string }[] = [];
      parsed.answers.forEach((a: { trackingId?: unknown; result?: unknown; subscriberKey?: unknown }, row: number) => {
        const id = String(a.trackingId ?? '');
        if (!known.has(id)) rejected.push({ row, trackingId: id, reason: 'unknown tracking ID' });
        else if (seen.has(id)) rejected.push({ row, trackingId: id, reason: 'duplicate' });
        else if (!['identified', 'not-found', 'not-our-customer'].includes(String(a.result))) rejected.push({ row, trackingId: id, reason: 'malformed row' });
        else if (a.result === 'identified' && typeof a.subscriberKey !== 'string') rejected.push({ row, trackingId: id, reason: 'malformed row' });
        seen.add(id);
      });
      if (rejected.length > 0) return send(res, 422, { applied: 0, rejected });
      for (const a of parsed.answers as { trackingId: string; result: string; subscriberKey?: string }[]) {
        answers.set(a.trackingId, { result: a.result, ...(a.subscriberKey !== undefined ? { subscriberKey: a.subscriberKey } : {}) });
      }
      return send(res, 200, { applied: parsed.answers.length });
    }
    if (req.method === 'POST' && path === '/notices') {
      const parsed = JSON.parse(body) as { notices: FakeCenter['notices'] };
      const known = items();
      const mine = parsed.notices.filter((n) => known.has(n.trackingId));
      notices.push(...mine);
      return send(res, 200, { recorded: mine.length });
    }
    if (req.method === 'GET' && path === '/activity') {
      const list = [...items().values()].map((i) => {
        const a = answers.get(i.trackingId);
        return {
          trackingId: i.trackingId,
          ticket: i.ticket,
          state: 'notified',
          subscriberKey: a?.subscriberKey ?? null,
          firstSeen: i.firstSeen,
          lastSeen: i.lastSeen,
          attackCount: i.attackCount,
          visitedAt: null,
          downloadedAt: null,
          completedAt: null,
          remediatedAt: null,
          reinfected: false,
          ...isp.activity.get(i.trackingId),
        };
      });
      return send(res, 200, { incidents: list });
    }
    return error(res, 404, 'NOT_FOUND', 'not found');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    answers,
    notices,
    addRequest: (token, request) => state(token).requests.push(request),
    setActivity: (token, trackingId, patch) => {
      const isp = state(token);
      isp.activity.set(trackingId, { ...(isp.activity.get(trackingId) ?? {}), ...patch } as IncidentActivity);
    },
    fault: (path, how) => void (how === null ? faults.delete(path) : faults.set(path, how)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
