import type { FastifyPluginAsync } from 'fastify';
import type { Storage } from '../../storage/schema.js';
import { httpError } from '../errors.js';
import { html } from '../html.js';
import { pickLang } from '../i18n.js';
import { messages, page } from '../layout.js';
import type { RateLimiter } from '../rate-limit.js';
import type { WorkflowServices } from '../services.js';

export interface PublicOptions {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly checkLimiter: RateLimiter;
}

/** Ticket numbers are short and human-typed; normalise the usual slips (case, spaces, full-width forms). */
export function normaliseTicket(s: string): string {
  return s.normalize('NFKC').trim().toUpperCase().replace(/\s+/g, '').slice(0, 40);
}

/**
 * Pages anyone may open: the landing page and the notice check. The check answers with the same
 * page shape and status for known and unknown tickets, shows no tracking link, and is rate-limited
 * per address so that tickets cannot be enumerated.
 */
export const publicRoutes: FastifyPluginAsync<PublicOptions> = async (app, opts) => {
  const { storage, services } = opts;

  app.get('/', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const body = html`<p>${t.safetyNote}</p><ul><li><a href="/check">${t.checkTitle}</a></li><li><a href="/portal">${t.portalTitle}</a></li></ul>`;
    return reply.type('text/html; charset=utf-8').send(page({ lang, title: t.siteName, path: '/', body }));
  });

  app.get<{ Querystring: { ticket?: string } }>('/check', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const ticket = typeof req.query.ticket === 'string' ? normaliseTicket(req.query.ticket) : '';
    let result = html``;
    if (ticket !== '') {
      if (!opts.checkLimiter.hit(`check:${req.ip}`)) throw httpError('RATE_LIMITED');
      const inc = /^[A-Z0-9-]{4,40}$/.test(ticket) ? await services.incidentByTicket(storage, ticket) : null;
      result =
        inc === null
          ? html`<section><p class="err">${t.checkNotFound}</p></section>`
          : html`<section><p class="ok">${t.checkFound}</p><dl><dt>${t.ticket}</dt><dd class="mono">${inc.ticket}</dd><dt>${t.provider}</dt><dd>${inc.ispName}</dd><dt>${t.observed}</dt><dd>${inc.firstSeenDay} – ${inc.lastSeenDay}</dd></dl></section>`;
    }
    const body = html`<p>${t.checkIntro}</p><form method="get" action="/check"><label for="ticket">${t.ticket}</label><input id="ticket" name="ticket" value="${ticket}" maxlength="40" autocomplete="off" required><p><button>${t.check}</button></p></form>${result}<p>${t.safetyNote}</p>`;
    return reply.type('text/html; charset=utf-8').send(page({ lang, title: t.checkTitle, path: '/check', body }));
  });
};
