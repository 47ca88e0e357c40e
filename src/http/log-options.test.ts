import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { httpLoggerOptions, redactPath } from './log-options.js';

test('paths lose tracking IDs and query strings', () => {
  assert.equal(redactPath('/t/AbCdEfGhIjKlMnOpQrStUv/download?lang=en'), '/t/:id/download?…');
  assert.equal(redactPath('/check?ticket=CC-7K4M-Q2'), '/check?…');
  assert.equal(redactPath('/api/isp/v1/requests'), '/api/isp/v1/requests');
});

test('a request with a bearer token, a cookie and a tracking ID leaves none of them in the log', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ logger: { ...httpLoggerOptions('trace'), stream } });
  app.get('/t/:id', async (req) => {
    req.log.info({ token: 'tok-secret-2', password: 'pw-secret-3' }, 'handler');
    return 'ok';
  });
  await app.inject({ url: '/t/TRACKINGsecret1234567890?ticket=CC-SECRET-1', headers: { authorization: 'Bearer tok-secret-1', cookie: 'cc_operator=sess-secret-1' } });
  await app.close();
  const log = lines.join('');
  assert.ok(log.includes('"url":"/t/:id?…"'), log);
  for (const secret of ['tok-secret-1', 'tok-secret-2', 'pw-secret-3', 'sess-secret-1', 'TRACKINGsecret', 'CC-SECRET-1']) assert.ok(!log.includes(secret), secret);
});
