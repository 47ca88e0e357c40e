import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import { DEFAULT_LIMITS, type HttpDeps, type HttpLimits } from './deps.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { addSecurityHeaders } from './security-headers.js';
import { createMemorySessionStore, type CookieSpec } from './sessions.js';
import { databaseOperatorSessions, databasePortalSessions } from './sessions-db.js';
import { createRateLimiter } from './rate-limit.js';
import { ispApiRoutes } from './isp/api-routes.js';
import { withChecklistCounts } from './activity-checklist.js';
import { portalRoutes } from './isp/portal-routes.js';
import { operatorRoutes } from './operator/operator-routes.js';
import { trackingRoutes } from './site/tracking-routes.js';
import { publicRoutes } from './public/check-routes.js';

export const ISP_API_PREFIX = '/api/isp/v1';

/**
 * The center's web application: ISP API, ISP portal, operator pages, the end-user site and the
 * notice check. Returns the app without listening; tests call app.inject(), `serve` calls listen().
 */
export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const { storage, services, config } = deps;
  if (config.sessionSecret.length < 32) throw new Error('the session secret must be at least 32 characters');
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...config.limits };
  const now = deps.now ?? (() => new Date());
  const secure = new URL(config.publicUrl).protocol === 'https:';

  const app = Fastify({
    logger: deps.logger ?? false,
    // Small default; the answer upload routes raise it for themselves.
    bodyLimit: 256 * 1024,
    // Big answer uploads from slow links must not be cut off, but idle sockets should not pile up.
    requestTimeout: 120_000,
    // Only configured proxies may name the client (X-Forwarded-For); otherwise anyone could pick
    // the address the login rate limits count.
    trustProxy: config.trustProxy !== undefined && config.trustProxy.length > 0 ? [...config.trustProxy] : false,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  addSecurityHeaders(app);

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Registered before the routes: it collects them as they are added. Only routes tagged "isp" are documented.
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'cleancenter ISP API', version: '1.0.0', description: 'Identification requests, answers, notices and site activity for one ISP (docs/isp-api.md).' },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the ISP API token' } } },
      tags: [{ name: 'isp', description: 'ISP API' }],
    },
    hideUntagged: true,
  });

  const memory = (): ReturnType<typeof createMemorySessionStore> => createMemorySessionStore({ ttlMs: limits.sessionTtlMs });
  const operatorSessions = deps.sessions?.operator ?? databaseOperatorSessions(storage, services, limits.sessionTtlMs) ?? memory();
  const portalSessions = deps.sessions?.portal ?? databasePortalSessions(storage, services, limits.sessionTtlMs) ?? memory();
  const loginLimiter = createRateLimiter({ max: limits.loginFailures, windowMs: limits.loginWindowMs });
  const checkLimiter = createRateLimiter({ max: limits.checksPerWindow, windowMs: limits.checkWindowMs });
  const cookieFor = (name: string, path: string): CookieSpec => ({ name, path, secure });

  await app.register(ispApiRoutes, { prefix: ISP_API_PREFIX, storage, services: withChecklistCounts(services), config, limits });
  await app.register(portalRoutes, { storage, services, config, limits, sessions: portalSessions, cookie: cookieFor('cc_portal', '/portal'), loginLimiter });
  await app.register(operatorRoutes, { storage, services, sessions: operatorSessions, cookie: cookieFor('cc_operator', '/operator'), loginLimiter });
  await app.register(trackingRoutes, { storage, services, now });
  await app.register(publicRoutes, { storage, services, checkLimiter });
  await app.ready();
  return app;
}
