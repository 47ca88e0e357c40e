import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type Html } from './html.js';
import { sameSecret, token, type CookieSpec } from './sessions.js';

/** A sign-in form token outlives a slow typist, not a day. */
const LOGIN_TOKEN_SECONDS = 2 * 3600;

/**
 * Login CSRF protection before there is a session (double submit): each rendering of a sign-in
 * form sets a fresh random token in a signed, HttpOnly, SameSite=Strict cookie and the same
 * token in a hidden field. A sign-in is only accepted when both arrive and match, so another
 * site cannot sign a browser in to an account of its choosing.
 */
export interface LoginCsrf {
  /** Sets the cookie and returns the hidden field for the form. */
  field(reply: FastifyReply): Html;
  /** True when the posted form carries the token of this browser's cookie. */
  ok(req: FastifyRequest): boolean;
  /** Drops the cookie once signed in. */
  clear(reply: FastifyReply): void;
}

export function loginCsrf(session: CookieSpec): LoginCsrf {
  const name = `${session.name}_login`;
  const options = { path: session.path, httpOnly: true, sameSite: 'strict' as const, secure: session.secure };
  return {
    field(reply) {
      const t = token();
      reply.setCookie(name, t, { ...options, signed: true, maxAge: LOGIN_TOKEN_SECONDS });
      return html`<input type="hidden" name="_csrf" value="${t}">`;
    },
    ok(req) {
      const raw = req.cookies[name];
      const sent = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>)['_csrf'] : undefined;
      if (raw === undefined || typeof sent !== 'string') return false;
      const un = req.unsignCookie(raw);
      return un.valid && un.value !== null && sameSecret(sent, un.value);
    },
    clear(reply) {
      reply.clearCookie(name, options);
    },
  };
}
