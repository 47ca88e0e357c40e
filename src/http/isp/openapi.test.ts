import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoIspApp } from '../app-fake.test-support.js';

/** Every $ref in the document points at something that exists. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) refs(x, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

test('the OpenAPI document is OpenAPI 3, lists every ISP route with responses, and only those', async () => {
  const { app } = await twoIspApp();
  const res = await app.inject({ url: '/api/isp/v1/openapi.json' });
  assert.equal(res.statusCode, 200, 'served without a token');
  const doc = JSON.parse(res.body) as {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, { responses?: Record<string, unknown>; security?: unknown; requestBody?: { content: Record<string, unknown> }; parameters?: { name: string; in: string }[] }>>;
    components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  };
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.ok(doc.info.title.length > 0 && doc.info.version.length > 0);
  const ops = Object.entries(doc.paths).flatMap(([p, m]) => Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`)).sort();
  assert.deepEqual(ops, [
    'GET /api/isp/v1/activity',
    'GET /api/isp/v1/openapi.json',
    'GET /api/isp/v1/requests',
    'GET /api/isp/v1/requests/{requestId}',
    'POST /api/isp/v1/answers',
    'POST /api/isp/v1/notices',
  ]);
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      assert.ok(op.responses !== undefined && Object.keys(op.responses).length > 0, `${m} ${p} has responses`);
      for (const code of Object.keys(op.responses)) assert.match(code, /^[1-5]\d\d$|^default$/);
      if (!p.endsWith('openapi.json')) assert.deepEqual(op.security, [{ bearer: [] }], `${m} ${p} needs the token`);
    }
  }
  assert.deepEqual(doc.components.securitySchemes['bearer'], { type: 'http', scheme: 'bearer', description: 'the ISP API token' });
  assert.deepEqual(Object.keys(doc.paths['/api/isp/v1/answers']!['post']!.requestBody!.content).sort(), ['application/json', 'text/csv']);
  const params = doc.paths['/api/isp/v1/requests/{requestId}']!['get']!.parameters!.map((x) => `${x.in}:${x.name}`).sort();
  assert.deepEqual(params, ['path:requestId', 'query:format']);
  const answers422 = doc.paths['/api/isp/v1/answers']!['post']!.responses!;
  assert.ok('413' in answers422 && '422' in answers422);
  for (const r of refs(doc)) {
    assert.match(r, /^#\//);
    let node: unknown = doc;
    for (const seg of r.slice(2).split('/')) node = (node as Record<string, unknown>)[seg];
    assert.notEqual(node, undefined, `dangling $ref ${r}`);
  }
});
