import type { FastifyRequest } from 'fastify';

/** Paths whose last part is a capability (a tracking ID) or a requested id; logged without it. */
export function redactPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  const hadQuery = path.length < url.length;
  const clean = path.replace(/^\/t\/[^/]+/, '/t/:id');
  // Query strings carry tickets and form values; their names are enough to debug.
  return hadQuery ? `${clean}?…` : clean;
}

/**
 * Fastify logger options for `serve`: pino at the configured level with no secrets. Requests are
 * logged as method, path without tracking IDs or query, and peer address — never headers, so
 * Authorization tokens and session cookies cannot reach the log; redact covers anything that
 * logs them by hand.
 */
export function httpLoggerOptions(level: string): Record<string, unknown> {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'token', '*.token', 'password', '*.password', 'sessionSecret', '*.sessionSecret'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: redactPath(req.url), remoteAddress: req.ip }),
    },
  };
}
