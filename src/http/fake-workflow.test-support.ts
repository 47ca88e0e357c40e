import type { Storage } from '../storage/schema.js';
import type { ActivityRow, AuditEntry, IdentificationRequest, IncidentView, IspRecord, RejectedRow, WorkflowServices } from './services.js';

/**
 * An in-memory stand-in for the workflow services, faithful in the one thing the web layer must
 * rely on: every call is scoped by the ISP id it is given. Used by the HTTP tests that are about
 * HTTP (auth, CSRF, escaping, limits), not about storage.
 */
export interface FakeWorld {
  readonly services: WorkflowServices;
  readonly storage: Storage;
  readonly tokens: Map<string, string>;
  readonly requests: IdentificationRequest[];
  readonly incidents: (IncidentView & { activity: Partial<ActivityRow> })[];
  readonly answers: Map<string, string>;
  readonly notices: { ispId: string; trackingId: string }[];
  readonly events: { trackingId: string; event: string }[];
  readonly audit: AuditEntry[];
  readonly isps: IspRecord[];
}

export function fakeWorld(): FakeWorld {
  const isps: IspRecord[] = [];
  const tokens = new Map<string, string>();
  const requests: IdentificationRequest[] = [];
  const incidents: FakeWorld['incidents'] = [];
  const answers = new Map<string, string>();
  const notices: FakeWorld['notices'] = [];
  const events: FakeWorld['events'] = [];
  const audit: AuditEntry[] = [];
  const ownerOf = (trackingId: string): string | undefined => incidents.find((i) => i.trackingId === trackingId)?.ispId;
  const log = (actor: string, action: string, target: string): void => {
    audit.unshift({ at: new Date().toISOString(), actor, action, target, details: null });
  };
  const services: WorkflowServices = {
    async createIsp(_s, isp, actor) {
      const id = isp.id ?? isp.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      if (isps.some((i) => i.id === id)) throw Object.assign(new Error('duplicate'), { name: 'UserError' });
      isps.push({ id, name: isp.name, asns: isp.asns, prefixes: isp.prefixes });
      log(actor, 'isp.create', id);
      return isps[isps.length - 1];
    },
    async updateIsp(_s, ispId, changes, actor) {
      const i = isps.findIndex((x) => x.id === ispId);
      const cur = isps[i]!;
      isps[i] = { ...cur, ...changes };
      log(actor, 'isp.update', ispId);
    },
    async listIsps() {
      return isps;
    },
    async rotateIspToken(_s, ispId, actor) {
      for (const [t, id] of tokens) if (id === ispId) tokens.delete(t);
      const token = `tok-${ispId}-${Math.random().toString(36).slice(2)}`;
      tokens.set(token, ispId);
      log(actor, 'isp.token.rotate', ispId);
      return { token };
    },
    async authenticateIspToken(_s, token) {
      const id = tokens.get(token);
      return id === undefined ? null : { ispId: id };
    },
    async listRequests(_s, ispId) {
      return requests
        .filter((r) => isps.find((i) => i.id === ispId)?.id === r.isp)
        .map((r) => ({ requestId: r.requestId, week: r.week, createdAt: r.createdAt, itemCount: r.items.length, answeredCount: 0 }));
    },
    async getRequest(_s, ispId, requestId) {
      return requests.find((r) => r.requestId === requestId && r.isp === ispId) ?? null;
    },
    requestToCsv(r) {
      const lines = ['tracking_id,ticket,src_ip,time_utc,src_port,dst_ip,dst_port,protocol'];
      for (const it of r.items) for (const o of it.observations) lines.push([it.trackingId, it.ticket, it.srcIp, o.time, o.srcPort, o.dstIp, o.dstPort, o.protocol].join(','));
      return `${lines.join('\n')}\n`;
    },
    requestToJson(r) {
      return r;
    },
    requestToXarf(r, reporter) {
      return r.items.map((it) => ({ Version: '4', ReporterInfo: { ReporterOrg: reporter.org }, Report: { ReportClass: 'Activity', ReportType: 'Infected', Category: 'infected', Type: 'botnet', SourceIp: it.srcIp } }));
    },
    async applyAnswerUpload(_s, ispId, upload) {
      const body = String(upload.body);
      if (upload.maxBytes !== undefined && Buffer.byteLength(body) > upload.maxBytes) return { ok: false, rejected: [{ row: 0, trackingId: null, reason: 'too large' }], tooLarge: true };
      let rows: { trackingId: unknown; result: unknown; subscriberKey?: unknown }[];
      const rejected: RejectedRow[] = [];
      if (upload.contentType === 'application/json') {
        try {
          const parsed = JSON.parse(body) as { answers?: unknown };
          if (!Array.isArray(parsed.answers)) return { ok: false, rejected: [{ row: 0, trackingId: null, reason: 'expected {"answers": [...]}' }] };
          rows = parsed.answers as typeof rows;
        } catch {
          return { ok: false, rejected: [{ row: 0, trackingId: null, reason: 'malformed JSON' }] };
        }
      } else {
        const lines = body.split('\n').filter((l) => l !== '');
        if (lines[0] !== 'tracking_id,result,subscriber_key') return { ok: false, rejected: [{ row: 1, trackingId: null, reason: 'missing header' }] };
        rows = lines.slice(1).map((l) => {
          const [trackingId, result, subscriberKey] = l.split(',');
          return { trackingId, result, subscriberKey };
        });
      }
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        const tid = typeof r.trackingId === 'string' ? r.trackingId : null;
        if (tid === null || !['identified', 'not-found', 'not-our-customer'].includes(String(r.result))) rejected.push({ row: i + 1, trackingId: tid, reason: 'malformed row' });
        else if (ownerOf(tid) !== ispId) rejected.push({ row: i + 1, trackingId: tid, reason: 'unknown tracking ID' });
        else if (seen.has(tid)) rejected.push({ row: i + 1, trackingId: tid, reason: 'duplicate tracking ID' });
        else seen.add(tid);
      });
      if (rejected.length > 0) return { ok: false, rejected };
      for (const r of rows) answers.set(String(r.trackingId), String(r.result));
      return { ok: true, applied: rows.length };
    },
    async recordNotices(_s, ispId, list) {
      const rejected = list.flatMap((x, index) => (ownerOf(x.trackingId) === ispId ? [] : [{ index, trackingId: x.trackingId, reason: 'unknown tracking ID' }]));
      if (rejected.length > 0) return { ok: false, rejected };
      for (const x of list) notices.push({ ispId, trackingId: x.trackingId });
      return { ok: true, recorded: list.length };
    },
    async siteActivity(_s, ispId) {
      return incidents
        .filter((i) => i.ispId === ispId)
        .map((i) => ({
          trackingId: i.trackingId, ticket: i.ticket, state: 'requested', subscriberKey: null, firstSeen: i.firstSeen, lastSeen: i.lastSeen,
          attackCount: i.attackCount, visitedAt: null, downloadedAt: null, completedAt: null, remediatedAt: null, reinfected: false,
        }));
    },
    async recordSiteEvent(_s, trackingId, event) {
      events.push({ trackingId, event });
    },
    async incidentByTicket(_s, ticket) {
      const i = incidents.find((x) => x.ticket === ticket.toUpperCase());
      const isp = isps.find((x) => x.id === i?.ispId);
      return i === undefined || isp === undefined ? null : { ticket: i.ticket, ispName: isp.name, firstSeenDay: i.firstSeen.slice(0, 10), lastSeenDay: i.lastSeen.slice(0, 10) };
    },
    async incidentByTrackingId(_s, trackingId) {
      return incidents.find((i) => i.trackingId === trackingId) ?? null;
    },
    async verifyOperator(_s, username, password) {
      return username === 'alice' && password === 'correct horse battery staple';
    },
    async listAudit(_s, { limit }) {
      return audit.slice(0, limit);
    },
    async workflowFigures(_s, { ispId }) {
      return { incidents: incidents.filter((i) => ispId === undefined || i.ispId === ispId).length, notices: notices.length };
    },
  };
  return { services, storage: {} as Storage, tokens, requests, incidents, answers, notices, events, audit, isps };
}
