import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, UserError, isUserError, type ErrorCode } from '../domain/errors.js';
import { html } from './html.js';
import { pickLang } from './i18n.js';
import { messages, page } from './layout.js';

/** The one error shape of every JSON route. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

export function httpError(code: ErrorCode, message?: string): UserError {
  return new UserError(code, message ?? ERROR_CODES[code].text);
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code].text } };
}

/** Fastify's own errors (body limits, parsers, validation) mapped onto the project's code table. */
function classify(e: FastifyError | UserError | Error): { code: ErrorCode; message: string } {
  if (isUserError(e)) return { code: e.code, message: e.message };
  const f = e as FastifyError;
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'TOO_LARGE', message: ERROR_CODES.TOO_LARGE.text };
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { code: 'UNSUPPORTED_MEDIA_TYPE', message: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE.text };
  if (f.validation !== undefined) return { code: 'BAD_REQUEST', message: f.message };
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    return { code: f.statusCode === 404 ? 'NOT_FOUND' : f.statusCode === 413 ? 'TOO_LARGE' : 'BAD_REQUEST', message: f.message };
  }
  return { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.text };
}

export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

export function errorHandler(e: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const { code, message } = classify(e);
  const status = ERROR_CODES[code].http;
  if (status >= 500) req.log.error({ err: e }, 'request failed');
  if (wantsJson(req)) {
    void reply.code(status).send(errorBody(code, message));
    return;
  }
  const lang = pickLang(req);
  const t = messages(lang);
  // Page users see the translated text; internals stay in the log.
  const text = code === 'RATE_LIMITED' ? t.rateLimited : code === 'FORBIDDEN' ? t.csrfFailed : code === 'NOT_FOUND' ? t.notFoundBody : t.errorBody;
  // A signed-out operator or abuse desk gets a way back to the sign-in form.
  const area = req.url.startsWith('/operator') ? '/operator' : req.url.startsWith('/portal') ? '/portal' : null;
  const body = code === 'UNAUTHORIZED' && area !== null ? html`<p><a href="${area}">${t.signIn}</a></p>` : html`<p>${text}</p>`;
  void reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page({ lang, title: code === 'NOT_FOUND' ? t.notFoundTitle : t.errorTitle, path: '/', body }));
}

/** The generic 404 page: identical for every unknown path or tracking ID, so nothing can be learned from it. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  errorHandler(httpError('NOT_FOUND'), req, reply);
}
