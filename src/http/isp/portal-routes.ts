import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../../storage/schema.js';
import type { HttpConfig, HttpLimits } from '../deps.js';
import { httpError } from '../errors.js';
import { csrfInput, field, figuresTable, table } from '../forms.js';
import { html, type Html } from '../html.js';
import { pickLang, type Lang } from '../i18n.js';
import { messages, page } from '../layout.js';
import type { RateLimiter } from '../rate-limit.js';
import type { WorkflowServices } from '../services.js';
import { csrfOk, endSession, readSession, startSession, type CookieSpec, type Session, type SessionStore } from '../sessions.js';
import { reporterOf } from './reporter.js';
import { loginCsrf } from '../login-csrf.js';

export interface PortalOptions {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly config: HttpConfig;
  readonly limits: HttpLimits;
  readonly sessions: SessionStore;
  readonly cookie: CookieSpec;
  readonly loginLimiter: RateLimiter;
}

/**
 * The ISP portal. The abuse desk signs in once with its API token; the portal then holds a
 * server-side session (HttpOnly, SameSite=Strict cookie) that names only the ISP, never the token.
 */
export const portalRoutes: FastifyPluginAsync<PortalOptions> = async (app, opts) => {
  const { storage, services, sessions, cookie, limits } = opts;
  const session = (req: FastifyRequest): Promise<Session | null> => readSession(sessions, req, cookie, 'isp');
  const show = (reply: FastifyReply, lang: Lang, title: string, body: Html, s: Session | null, status = 200): FastifyReply => {
    const t = messages(lang);
    const nav = s === null ? undefined : html`<form method="post" action="/portal/logout">${csrfInput(s)}<button>${t.signOut}</button></form>`;
    return reply.code(status).type('text/html; charset=utf-8').send(page({ lang, title, path: '/portal', body, ...(nav ? { nav } : {}) }));
  };
  const login = loginCsrf(cookie);
  const loginForm = (lang: Lang, failed: boolean, reply: FastifyReply): Html => {
    const t = messages(lang);
    return html`${failed ? html`<p class="err">${t.badLogin}</p>` : ''}<form method="post" action="/portal/login">${login.field(reply)}
<label for="token">${t.apiToken}</label><input id="token" name="token" type="password" autocomplete="off" required size="40">
<p><button>${t.signIn}</button></p></form>`;
  };

  app.get('/portal', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const s = await session(req);
    if (s === null) return show(reply, lang, t.portalTitle, loginForm(lang, false, reply), null);
    const [isps, requests, figures] = await Promise.all([
      services.listIsps(storage),
      services.listRequests(storage, s.subject),
      services.workflowFigures(storage, { ispId: s.subject }),
    ]);
    const isp = isps.find((i) => i.id === s.subject);
    const dl = (id: string): Html =>
      html`${(['csv', 'json', 'xarf'] as const).map((f) => html`<a href="/portal/requests/${encodeURIComponent(id)}?format=${f}">${f}</a> `)}`;
    const body = html`<p>${isp?.name ?? s.subject}</p>
<h2>${t.openRequests}</h2>${
      requests.length === 0
        ? html`<p>${t.noRequests}</p>`
        : table(
            [t.week, t.created, t.items, t.answered, t.download],
            requests.map((r) => [r.week, r.createdAt, r.itemCount, r.answeredCount, dl(r.requestId)]),
          )
    }
<h2>${t.uploadTitle}</h2><p>${t.uploadHelp}</p>
<form method="post" action="/portal/answers">${csrfInput(s)}<label for="csv">CSV</label>
<textarea id="csv" name="csv" required spellcheck="false" placeholder="tracking_id,result,subscriber_key"></textarea><p><button>${t.upload}</button></p></form>
<h2>${t.figures}</h2>${figuresTable(figures)}`;
    return show(reply, lang, t.portalTitle, body, s);
  });

  app.post('/portal/login', async (req, reply) => {
    const lang = pickLang(req);
    const t = messages(lang);
    const ipKey = `portal-ip:${req.ip}`;
    if (opts.loginLimiter.blocked(ipKey)) throw httpError('RATE_LIMITED');
    if (!login.ok(req)) throw httpError('FORBIDDEN', 'missing or wrong sign-in form token');
    const tok = field(req, 'token').trim();
    const who = tok === '' || tok.length > 512 ? null : await services.authenticateIspToken(storage, tok);
    if (who === null) {
      opts.loginLimiter.hit(ipKey);
      return show(reply, lang, t.portalTitle, loginForm(lang, true, reply), null, 401);
    }
    login.clear(reply);
    await startSession(sessions, reply, cookie, 'isp', who.ispId);
    return reply.redirect('/portal', 303);
  });

  /** Every state-changing portal form goes through here: a session and its CSRF token, or 401/403. */
  const posted = async (req: FastifyRequest): Promise<Session> => {
    const s = await session(req);
    if (s === null) throw httpError('UNAUTHORIZED');
    if (!csrfOk(s, req.body)) throw httpError('FORBIDDEN', 'missing or wrong CSRF token');
    return s;
  };

  app.post('/portal/logout', async (req, reply) => {
    const s = await posted(req);
    await endSession(sessions, reply, cookie, s);
    return reply.redirect('/portal', 303);
  });

  app.get<{ Params: { requestId: string }; Querystring: { format?: string } }>('/portal/requests/:requestId', async (req, reply) => {
    const s = await session(req);
    if (s === null) return reply.redirect('/portal', 303);
    const r = req.params.requestId.length > 200 ? null : await services.getRequest(storage, s.subject, req.params.requestId, { publicUrl: opts.config.publicUrl });
    if (r === null) throw httpError('NOT_FOUND');
    const name = `request-${r.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const format = req.query.format;
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(services.requestToCsv(r));
    const body = format === 'xarf' ? services.requestToXarf(r, reporterOf(opts.config)) : services.requestToJson(r);
    return reply.type('application/json').header('content-disposition', `attachment; filename="${name}${format === 'xarf' ? '.xarf' : ''}.json"`).send(typeof body === 'string' ? body : JSON.stringify(body));
  });

  app.post('/portal/answers', { bodyLimit: limits.answerBytes * 3 + 4096 }, async (req, reply) => {
    const s = await posted(req);
    const lang = pickLang(req);
    const t = messages(lang);
    const out = await services.applyAnswerUpload(
      storage,
      s.subject,
      { body: field(req, 'csv').replace(/\r\n/g, '\n'), contentType: 'text/csv', maxRows: limits.answerRows, maxBytes: limits.answerBytes },
      `isp:${s.subject}`,
    );
    const back = html`<p><a href="/portal">${t.portalTitle}</a></p>`;
    if (out.ok) return show(reply, lang, t.uploadTitle, html`<p class="ok">${t.uploadApplied}: ${out.applied}</p>${back}`, s);
    const rows = out.rejected.slice(0, 1000).map((r) => [r.row, r.trackingId ?? '', r.reason]);
    return show(reply, lang, t.uploadTitle, html`<p class="err">${t.uploadRejected}</p>${table([t.row, t.trackingId, t.reason], rows)}${back}`, s, out.tooLarge ? 413 : 422);
  });
};
