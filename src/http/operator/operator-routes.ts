import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isUserError } from '../../domain/errors.js';
import type { Storage } from '../../storage/schema.js';
import { httpError } from '../errors.js';
import { csrfInput, field, figuresTable, table } from '../forms.js';
import { html, type Html } from '../html.js';
import { pickLang, type Lang } from '../i18n.js';
import { messages, page } from '../layout.js';
import type { RateLimiter } from '../rate-limit.js';
import type { IspRecord, WorkflowServices } from '../services.js';
import { csrfOk, endSession, readSession, startSession, type CookieSpec, type Session, type SessionStore } from '../sessions.js';
import { parseAsns, parsePrefixes } from './list-fields.js';
import { loginCsrf } from '../login-csrf.js';

export interface OperatorOptions {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly sessions: SessionStore;
  readonly cookie: CookieSpec;
  readonly loginLimiter: RateLimiter;
}

/**
 * The operator side. Every change goes through a workflow service with `operator:<name>` as the
 * actor; the services write the audit log, so no route can change data without a trace.
 */
export const operatorRoutes: FastifyPluginAsync<OperatorOptions> = async (app, opts) => {
  const { storage, services, sessions, cookie } = opts;
  const actor = (s: Session): string => `operator:${s.subject}`;

  const show = (reply: FastifyReply, lang: Lang, title: string, path: string, body: Html, s: Session | null, status = 200): FastifyReply => {
    const t = messages(lang);
    const nav =
      s === null
        ? undefined
        : html`<nav><a href="/operator">${t.isps}</a><a href="/operator/isps/new">${t.addIsp}</a><a href="/operator/audit">${t.audit}</a><a href="/operator/figures">${t.figures}</a></nav>
<form method="post" action="/operator/logout">${csrfInput(s)}<button>${t.signOut}</button></form>`;
    return reply.code(status).type('text/html; charset=utf-8').send(page({ lang, title, path, body, ...(nav ? { nav } : {}) }));
  };

  /** The signed-in operator, or null after sending the sign-in page. */
  const signedIn = (req: FastifyRequest): Promise<Session | null> => readSession(sessions, req, cookie, 'operator');
  const needSession = async (req: FastifyRequest): Promise<Session> => {
    const s = await signedIn(req);
    if (s === null) throw httpError('UNAUTHORIZED');
    return s;
  };
  /** Every state-changing form: a session and its synchronizer token, else 401/403. */
  const posted = async (req: FastifyRequest): Promise<Session> => {
    const s = await needSession(req);
    if (!csrfOk(s, req.body)) throw httpError('FORBIDDEN', 'missing or wrong CSRF token');
    return s;
  };

  const login = loginCsrf(cookie);
  const loginForm = (lang: Lang, failed: boolean, reply: FastifyReply): Html => {
    const t = messages(lang);
    return html`${failed ? html`<p class="err">${t.badLogin}</p>` : ''}<form method="post" action="/operator/login">${login.field(reply)}
<label for="username">${t.username}</label><input id="username" name="username" autocomplete="username" required maxlength="200">
<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1000">
<p><button>${t.signIn}</button></p></form>`;
  };

  const ispForm = (lang: Lang, s: Session, action: string, isp: Partial<IspRecord>, error: string | null, isNew: boolean): Html => {
    const t = messages(lang);
    return html`${error !== null ? html`<p class="err">${error}</p>` : ''}<form method="post" action="${action}">${csrfInput(s)}
${isNew ? html`<label for="id">${t.ispId}</label><input id="id" name="id" value="${isp.id ?? ''}" pattern="[a-z0-9-]+" maxlength="64">` : ''}
<label for="name">${t.ispName}</label><input id="name" name="name" value="${isp.name ?? ''}" required maxlength="200">
<label for="asns">${t.asns}</label><textarea id="asns" name="asns">${(isp.asns ?? []).join('\n')}</textarea>
<label for="prefixes">${t.prefixes}</label><textarea id="prefixes" name="prefixes">${(isp.prefixes ?? []).join('\n')}</textarea>
<p>${t.listHelp}</p><p><button>${t.save}</button></p></form>`;
  };

  app.get('/operator', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const s = await signedIn(req);
    if (s === null) return show(reply, lang, t.operatorTitle, '/operator', loginForm(lang, false, reply), null);
    const isps = await services.listIsps(storage);
    const rows = isps.map((i) => [
      i.id,
      i.name,
      i.asns.map((a) => `AS${a}`).join(' '),
      i.prefixes.join(' '),
      html`<a href="/operator/isps/${encodeURIComponent(i.id)}">${t.edit}</a>`,
    ]);
    return show(reply, lang, t.isps, '/operator', table([t.ispId, t.ispName, t.asns, t.prefixes, ''], rows), s);
  });

  app.post('/operator/login', async (req, reply) => {
    const lang = pickLang(req);
    const t = messages(lang);
    const username = field(req, 'username').slice(0, 200);
    const password = field(req, 'password').slice(0, 1000);
    const keys = [`op-user:${username.toLowerCase()}`, `op-ip:${req.ip}`];
    // Refused before the password is checked, so a blocked guesser learns nothing more.
    if (keys.some((k) => opts.loginLimiter.blocked(k))) throw httpError('RATE_LIMITED');
    if (!login.ok(req)) throw httpError('FORBIDDEN', 'missing or wrong sign-in form token');
    const ok = username !== '' && password !== '' && (await services.verifyOperator(storage, username, password));
    if (!ok) {
      for (const k of keys) opts.loginLimiter.hit(k);
      return show(reply, lang, t.operatorTitle, '/operator', loginForm(lang, true, reply), null, 401);
    }
    opts.loginLimiter.reset(keys[0]!);
    login.clear(reply);
    await startSession(sessions, reply, cookie, 'operator', username);
    return reply.redirect('/operator', 303);
  });

  app.post('/operator/logout', async (req, reply) => {
    await endSession(sessions, reply, cookie, await posted(req));
    return reply.redirect('/operator', 303);
  });

  app.get('/operator/isps/new', async (req, reply) => {
    const lang = pickLang(req, reply);
    const s = await needSession(req);
    return show(reply, lang, messages(lang).addIsp, '/operator/isps/new', ispForm(lang, s, '/operator/isps', {}, null, true), s);
  });

  app.post('/operator/isps', async (req, reply) => {
    const s = await posted(req);
    const lang = pickLang(req);
    const id = field(req, 'id').trim();
    const name = field(req, 'name').trim();
    const asns = parseAsns(field(req, 'asns'));
    const prefixes = parsePrefixes(field(req, 'prefixes'));
    const draft = { ...(id !== '' ? { id } : {}), name, asns: asns.ok ? asns.value : [], prefixes: prefixes.ok ? prefixes.value : [] };
    const problem = !asns.ok ? asns.error : !prefixes.ok ? prefixes.error : name === '' ? 'name is required' : null;
    try {
      if (problem !== null) throw httpError('BAD_REQUEST', problem);
      await services.createIsp(storage, draft, actor(s));
    } catch (e) {
      if (!isUserError(e)) throw e;
      return show(reply, lang, messages(lang).addIsp, '/operator/isps/new', ispForm(lang, s, '/operator/isps', draft, e.message, true), s, 400);
    }
    return reply.redirect('/operator', 303);
  });

  const findIsp = async (id: string): Promise<IspRecord> => {
    const isp = (await services.listIsps(storage)).find((i) => i.id === id);
    if (isp === undefined) throw httpError('NOT_FOUND');
    return isp;
  };

  const editPage = (lang: Lang, s: Session, isp: IspRecord, error: string | null, notice: Html | null): Html => {
    const t = messages(lang);
    const action = `/operator/isps/${encodeURIComponent(isp.id)}`;
    return html`${notice ?? ''}${ispForm(lang, s, action, isp, error, false)}
<h2>${t.rotateToken}</h2><p>${t.rotateWarning}</p><form method="post" action="${action}/token">${csrfInput(s)}<button>${t.rotateToken}</button></form>`;
  };

  app.get<{ Params: { id: string } }>('/operator/isps/:id', async (req, reply) => {
    const lang = pickLang(req, reply);
    const s = await needSession(req);
    const isp = await findIsp(req.params.id);
    return show(reply, lang, isp.name, `/operator/isps/${encodeURIComponent(isp.id)}`, editPage(lang, s, isp, null, null), s);
  });

  app.post<{ Params: { id: string } }>('/operator/isps/:id', async (req, reply) => {
    const s = await posted(req);
    const lang = pickLang(req);
    const isp = await findIsp(req.params.id);
    const name = field(req, 'name').trim();
    const asns = parseAsns(field(req, 'asns'));
    const prefixes = parsePrefixes(field(req, 'prefixes'));
    const draft: IspRecord = { id: isp.id, name, asns: asns.ok ? asns.value : isp.asns, prefixes: prefixes.ok ? prefixes.value : isp.prefixes };
    const path = `/operator/isps/${encodeURIComponent(isp.id)}`;
    try {
      const problem = !asns.ok ? asns.error : !prefixes.ok ? prefixes.error : name === '' ? 'name is required' : null;
      if (problem !== null) throw httpError('BAD_REQUEST', problem);
      await services.updateIsp(storage, isp.id, { name, asns: [...draft.asns], prefixes: [...draft.prefixes] }, actor(s));
    } catch (e) {
      if (!isUserError(e)) throw e;
      return show(reply, lang, isp.name, path, editPage(lang, s, draft, e.message, null), s, 400);
    }
    return show(reply, lang, name, path, editPage(lang, s, await findIsp(isp.id), null, html`<p class="ok">${messages(lang).saved}</p>`), s);
  });

  app.post<{ Params: { id: string } }>('/operator/isps/:id/token', async (req, reply) => {
    const s = await posted(req);
    const lang = pickLang(req);
    const t = messages(lang);
    const isp = await findIsp(req.params.id);
    const { token } = await services.rotateIspToken(storage, isp.id, actor(s));
    // Shown in this answer only (no redirect, no-store): the center keeps just its hash.
    const body = html`<p class="note">${t.tokenShownOnce}</p><p><code>${token}</code></p><p><a href="/operator/isps/${encodeURIComponent(isp.id)}">${isp.name}</a></p>`;
    return show(reply, lang, t.rotateToken, `/operator/isps/${encodeURIComponent(isp.id)}`, body, s);
  });

  app.get('/operator/audit', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const s = await needSession(req);
    const rows = (await services.listAudit(storage, { limit: 500 })).map((a) => [
      a.at,
      a.actor,
      a.action,
      a.target,
      a.details === undefined || a.details === null ? '' : typeof a.details === 'string' ? a.details : JSON.stringify(a.details),
    ]);
    return show(reply, lang, t.audit, '/operator/audit', table([t.at, t.actor, t.action, t.target, t.details], rows), s);
  });

  app.get<{ Querystring: { isp?: string; month?: string } }>('/operator/figures', async (req, reply) => {
    const lang = pickLang(req, reply);
    const t = messages(lang);
    const s = await needSession(req);
    const month = typeof req.query.month === 'string' && /^\d{4}-\d{2}$/.test(req.query.month) ? req.query.month : undefined;
    const ispId = typeof req.query.isp === 'string' && req.query.isp !== '' ? req.query.isp.slice(0, 64) : undefined;
    const figures = await services.workflowFigures(storage, { ...(ispId ? { ispId } : {}), ...(month ? { month } : {}) });
    const isps = await services.listIsps(storage);
    const form = html`<form method="get" action="/operator/figures"><label for="isp">${t.isps}</label><select id="isp" name="isp"><option value="">*</option>${isps.map(
      (i) => html`<option value="${i.id}"${i.id === ispId ? html` selected` : ''}>${i.name}</option>`,
    )}</select><label for="month">YYYY-MM</label><input id="month" name="month" value="${month ?? ''}" pattern="\\d{4}-\\d{2}"><p><button>${t.figures}</button></p></form>`;
    return show(reply, lang, t.figures, '/operator/figures', html`${form}${figuresTable(figures)}`, s);
  });
};
