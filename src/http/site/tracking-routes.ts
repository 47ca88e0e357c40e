import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../../storage/schema.js';
import { httpError } from '../errors.js';
import { field } from '../forms.js';
import { html, type Html } from '../html.js';
import { pickLang, type Lang } from '../i18n.js';
import { messages, page } from '../layout.js';
import type { ChecklistAnswers, IncidentView, WorkflowServices } from '../services.js';

export interface SiteOptions {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly now: () => Date;
}

/** Tracking IDs are opaque URL-safe strings; anything else cannot be one and gets the same 404 without a database look-up. */
const TRACKING_ID = /^[A-Za-z0-9_-]{16,128}$/;
const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;
const ANSWERS: readonly string[] = ['yes', 'no', 'unknown'];

/**
 * Requests no person saw: HEAD (link checkers and mail scanners ask for headers only; Fastify
 * answers HEAD through the GET handler) and browser prefetches (Sec-Purpose / Purpose: prefetch).
 * They get the page but are not counted as a visit or a download.
 */
function unseen(req: FastifyRequest): boolean {
  if (req.method === 'HEAD') return true;
  const purpose = req.headers['sec-purpose'] ?? req.headers.purpose ?? req.headers['x-moz'] ?? req.headers['x-purpose'];
  return typeof purpose === 'string' && /\b(prefetch|preview)\b/i.test(purpose);
}

/**
 * The countermeasure site for end users, reached by the link in their notice. Pages show dates
 * and malware names only — never addresses — and work without JavaScript on a phone.
 */
export const trackingRoutes: FastifyPluginAsync<SiteOptions> = async (app, opts) => {
  const { storage, services } = opts;

  const incident = async (req: FastifyRequest<{ Params: { id: string } }>): Promise<IncidentView> => {
    const id = req.params.id;
    const found = TRACKING_ID.test(id) ? await services.incidentByTrackingId(storage, id) : null;
    // Compared again as an opaque string, so a service that matched loosely cannot leak a neighbour.
    if (found === null || found.trackingId !== id) throw httpError('NOT_FOUND');
    return found;
  };
  const show = (reply: FastifyReply, lang: Lang, title: string, path: string, body: Html, status = 200): FastifyReply =>
    reply.code(status).type('text/html; charset=utf-8').send(page({ lang, title, path, body }));
  const base = (inc: IncidentView): string => `/t/${encodeURIComponent(inc.trackingId)}`;

  const checklist = (lang: Lang, inc: IncidentView, missing: boolean): Html => {
    const t = messages(lang);
    return html`<h2>${t.checklistTitle}</h2>${missing ? html`<p class="err">${t.checklistIncomplete}</p>` : ''}
<form method="post" action="${base(inc)}/checklist">${QUESTIONS.map(
      (q) => html`<fieldset><legend>${t[q]}</legend><label><input type="radio" name="${q}" value="yes" required> ${t.yes}</label><label><input type="radio" name="${q}" value="no"> ${t.no}</label><label><input type="radio" name="${q}" value="unknown"> ${t.dontKnow}</label></fieldset>`,
    )}<p><button>${t.send}</button></p></form>`;
  };

  const historyPage = (lang: Lang, inc: IncidentView, missing: boolean): Html => {
    const t = messages(lang);
    return html`<p>${t.trackIntro}</p>
<h2>${t.history}</h2><dl>
<dt>${t.ticket}</dt><dd class="mono">${inc.ticket}</dd>
<dt>${t.firstSeen}</dt><dd>${inc.firstSeen.slice(0, 10)}</dd>
<dt>${t.lastSeen}</dt><dd>${inc.lastSeen.slice(0, 10)}</dd>
<dt>${t.attackCount}</dt><dd>${inc.attackCount}</dd>
<dt>${t.botNames}</dt><dd>${inc.botNames.length === 0 ? '—' : inc.botNames.join(', ')}</dd></dl>
<h2>${t.stepsTitle}</h2><ol><li>${t.step1} <a href="${base(inc)}/download">${t.downloadLink}</a></li><li>${t.step2}</li></ol>
${checklist(lang, inc, missing)}
<p class="note">${t.safetyNote} <a href="/check">${t.checkLink}</a></p>`;
  };

  app.get<{ Params: { id: string } }>('/t/:id', async (req, reply) => {
    const lang = pickLang(req, reply);
    const inc = await incident(req);
    if (!unseen(req)) await services.recordSiteEvent(storage, inc.trackingId, 'visited', opts.now().toISOString());
    return show(reply, lang, messages(lang).trackTitle, base(inc), historyPage(lang, inc, false));
  });

  app.get<{ Params: { id: string } }>('/t/:id/download', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const inc = await incident(req);
    if (!unseen(req)) await services.recordSiteEvent(storage, inc.trackingId, 'downloaded', opts.now().toISOString());
    return show(reply, lang, t.downloadTitle, `${base(inc)}/download`, html`<p>${t.downloadBody}</p><p><a href="${base(inc)}">${t.backToHistory}</a></p>`);
  });

  // No CSRF token: the unguessable tracking ID in the path is the only capability, and the form changes nothing but its own incident.
  app.post<{ Params: { id: string } }>('/t/:id/checklist', { bodyLimit: 4096 }, async (req, reply) => {
    const lang = pickLang(req);
    const t = messages(lang);
    const inc = await incident(req);
    const answers = QUESTIONS.map((q) => [q, field(req, q)] as const);
    if (answers.some(([, a]) => !ANSWERS.includes(a))) return show(reply, lang, t.trackTitle, base(inc), historyPage(lang, inc, true), 400);
    const at = opts.now().toISOString();
    // Only the five fixed answers are passed on: anything else the form carried is dropped here.
    if (services.recordChecklist !== undefined) await services.recordChecklist(storage, inc.trackingId, Object.fromEntries(answers) as ChecklistAnswers, at);
    else await services.recordSiteEvent(storage, inc.trackingId, 'completed', at);
    return show(reply, lang, t.thanksTitle, base(inc), html`<p class="ok">${t.thanksBody}</p><p><a href="${base(inc)}">${t.backToHistory}</a></p>`);
  });
};
