import type { FastifyInstance } from 'fastify';
import { answersRequestBody } from './api-schemas.js';

type Doc = { paths?: Record<string, Record<string, Record<string, unknown>>> } & Record<string, unknown>;

let cached: WeakMap<FastifyInstance, Doc> | undefined;

/**
 * The OpenAPI 3 document @fastify/swagger builds from the ISP routes' schemas, plus the answers
 * request body, which is documented here because the route validates it in the workflow instead.
 */
export function serveOpenApi(app: FastifyInstance): Doc {
  cached ??= new WeakMap();
  const hit = cached.get(app);
  if (hit !== undefined) return hit;
  const doc = structuredClone((app as unknown as { swagger(): Doc }).swagger());
  const post = doc.paths?.['/api/isp/v1/answers']?.['post'];
  if (post !== undefined) post['requestBody'] = answersRequestBody;
  cached.set(app, doc);
  return doc;
}
