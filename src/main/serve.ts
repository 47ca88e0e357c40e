import { randomBytes } from 'node:crypto';
import type { GlobalOptions, RunningServer } from '../cli/deps.js';
import { UserError } from '../domain/errors.js';
import { buildApp } from '../http/app.js';
import { httpLoggerOptions } from '../http/log-options.js';
import * as workflow from '../workflow/index.js';
import { loadConfigOrExplain, runtimeFor } from './runtime.js';

/**
 * Opens the database and serves the web application. Operator sessions live in the database;
 * serve processes that share one database share them when they share CLEANCENTER_SESSION_SECRET
 * (32+ characters). Without it the cookie secret is drawn fresh at every start: a restart signs
 * everyone out, and no secret sits in a file.
 */
export async function startServer(opts: GlobalOptions, listen: { host?: string; port?: number }): Promise<RunningServer> {
  const config = loadConfigOrExplain(opts);
  const runtime = runtimeFor(config);
  const storage = await runtime.storage();
  // Checkpoints on their own thread, not inside whichever request commits next; a larger cache.
  storage.tuneForServer();
  const host = listen.host ?? config.http.host;
  const port = listen.port ?? config.http.port;
  let app;
  try {
    app = await buildApp({
      storage,
      services: workflow,
      config: {
        publicUrl: config.http.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        sessionSecret: sessionSecret(),
        trustProxy: config.http.trustProxy,
        limits: { answerBytes: config.workflow.answerMaxBytes, answerRows: config.workflow.answerMaxRows },
      },
      // stderr: stdout is for the command's own output (--json).
      logger: { ...httpLoggerOptions(config.logLevel), stream: process.stderr },
    });
  } catch (e) {
    await runtime.close();
    throw e;
  }
  let url: string;
  try {
    url = await app.listen({ host, port });
  } catch (e) {
    await app.close();
    await runtime.close();
    throw e;
  }
  return {
    url,
    publicUrl: config.http.publicUrl ?? url,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

function sessionSecret(): string {
  const fromEnv = process.env.CLEANCENTER_SESSION_SECRET;
  if (fromEnv === undefined || fromEnv === '') return randomBytes(32).toString('base64url');
  if (fromEnv.length < 32) throw new UserError('CONFIG_INVALID', 'CLEANCENTER_SESSION_SECRET must be at least 32 characters');
  return fromEnv;
}
