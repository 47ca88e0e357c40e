import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Storage } from '../../storage/schema.js';
import type { HttpConfig, HttpLimits } from '../deps.js';
import { errorBody, httpError } from '../errors.js';
import type { NoticeReport, WorkflowServices } from '../services.js';
import { ispOfBearer } from './bearer-auth.js';
import { activitySchema, getRequestSchema, listRequestsSchema, openapiSchema, postAnswersSchema, postNoticesSchema } from './api-schemas.js';
import { reporterOf } from './reporter.js';
import { serveOpenApi } from './openapi.js';

export interface IspApiOptions {
  readonly storage: Storage;
  readonly services: WorkflowServices;
  readonly config: HttpConfig;
  readonly limits: HttpLimits;
}

/**
 * Offered by src/workflow (openRequestDownload): the request as text chunks read a page at a time, so
 * a 100,000-item download neither builds one big string nor holds up small calls while it runs.
 */
interface StreamingServices {
  openRequestDownload?(
    storage: Storage,
    ispId: string,
    requestId: string,
    format: 'json' | 'csv' | 'xarf',
    options: { publicUrl?: string | null; reporter?: { org: string; contact: string; domain: string } },
  ): Promise<AsyncIterable<string | Buffer> | null>;
}

/** Set by the bearer hook; a route that reads it without the hook having run is a bug, not a 401. */
const ISP_OF = new WeakMap<FastifyRequest, string>();

function ispOf(req: FastifyRequest): string {
  const id = ISP_OF.get(req);
  if (id === undefined) throw new Error('ISP route without bearer authentication');
  return id;
}

/**
 * The ISP API (docs/isp-api.md). Every route but the OpenAPI document is behind the bearer hook,
 * and every service call passes the caller's ISP id: another ISP's ids are simply not found.
 */
export const ispApiRoutes: FastifyPluginAsync<IspApiOptions> = async (app, opts) => {
  const { storage, services, limits } = opts;
  // The real workflow streams downloads; fakes without it are served from getRequest.
  const download = (services as WorkflowServices & StreamingServices).openRequestDownload?.bind(services);
  // Response schemas document the API; serialising with JSON.stringify never drops a field they miss.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // onRequest: before the body is read or validated, so strangers cannot make the center parse uploads.
  app.addHook('onRequest', async (req) => {
    if ((req.routeOptions.config as { public?: boolean }).public === true) return;
    ISP_OF.set(req, await ispOfBearer(req, storage, services));
  });

  app.get('/openapi.json', { schema: openapiSchema, config: { public: true } }, async () => serveOpenApi(app));

  app.get('/requests', { schema: listRequestsSchema }, async (req) => ({ requests: await services.listRequests(storage, ispOf(req)) }));

  app.get<{ Params: { requestId: string }; Querystring: { format?: 'json' | 'csv' | 'xarf' } }>(
    '/requests/:requestId',
    { schema: getRequestSchema },
    async (req, reply) => {
      const format = req.query.format ?? 'json';
      const name = `request-${req.params.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      if (download !== undefined) {
        const chunks = await download(storage, ispOf(req), req.params.requestId, format, {
          publicUrl: opts.config.publicUrl,
          ...(format === 'xarf' ? { reporter: reporterOf(opts.config) } : {}),
        });
        if (chunks === null) throw httpError('NOT_FOUND', 'no such request');
        if (format === 'csv') reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
        else reply.type('application/json');
        return reply.send(Readable.from(chunks, { objectMode: false }));
      }
      const r = await services.getRequest(storage, ispOf(req), req.params.requestId, { publicUrl: opts.config.publicUrl });
      if (r === null) throw httpError('NOT_FOUND', 'no such request');
      if (format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(services.requestToCsv(r));
      }
      if (format === 'xarf') return reply.type('application/json').send(services.requestToXarf(r, reporterOf(opts.config)));
      return reply.type('application/json').send(services.requestToJson(r));
    },
  );

  // Without the prefix option: the child inherits this scope's prefix already.
  await app.register(answersRoute, { storage, services, config: opts.config, limits });

  app.post<{ Body: { notices: NoticeReport[] } }>('/notices', { schema: postNoticesSchema }, async (req, reply) => {
    const r = await services.recordNotices(storage, ispOf(req), req.body.notices);
    if (r.ok) return { recorded: r.recorded };
    return reply.code(422).send({ recorded: 0, rejected: r.rejected });
  });

  app.get<{ Querystring: { since?: string } }>('/activity', { schema: activitySchema }, async (req) => ({
    incidents: await services.siteActivity(storage, ispOf(req), req.query.since !== undefined ? { since: req.query.since } : {}),
  }));
};

/**
 * POST /answers in its own scope: there the JSON and CSV bodies arrive as raw text, so the
 * workflow sees the upload exactly as sent and reports row numbers in it.
 */
async function answersRoute(app: FastifyInstance, opts: IspApiOptions): Promise<void> {
  const { storage, services, limits } = opts;
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/csv'], { parseAs: 'string', bodyLimit: limits.answerBytes }, (_req, body, done) => done(null, body));

  app.post<{ Body: string }>('/answers', { schema: postAnswersSchema, bodyLimit: limits.answerBytes }, async (req, reply) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const contentType = type === 'text/csv' ? 'text/csv' : 'application/json';
    const out = await services.applyAnswerUpload(
      storage,
      ispOf(req),
      { body: req.body, contentType, maxRows: limits.answerRows, maxBytes: limits.answerBytes },
      `isp:${ispOf(req)}`,
    );
    if (out.ok) return { applied: out.applied };
    if (out.tooLarge === true) return reply.code(413).send(errorBody('TOO_LARGE', out.rejected[0]?.reason));
    return reply.code(422).send({ applied: 0, rejected: out.rejected });
  });
}
