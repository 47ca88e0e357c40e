import { randomBytes } from 'node:crypto';
import type { GlobalOptions, RunningServer } from '../cli/deps.js';
import { buildApp } from '../http/app.js';
import { httpLoggerOptions } from '../http/log-options.js';
import * as workflow from '../workflow/index.js';
import { loadConfigOrExplain, runtimeFor } from './runtime.js';

/**
 * Opens the database and serves the web application. Sessions live in this process, so the cookie
 * secret is drawn fresh at every start: a restart signs everyone out, and no secret sits in a file.
 */
export async function startServer(opts: GlobalOptions, listen: { host?: string; port?: number }): Promise<RunningServer> {
  const config = loadConfigOrExplain(opts);
  const runtime = runtimeFor(config);
  const storage = await runtime.storage();
  const host = listen.host ?? config.http.host;
  const port = listen.port ?? config.http.port;
  let app;
  try {
    app = await buildApp({
      storage,
      services: workflow,
      config: {
        publicUrl: config.http.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        sessionSecret: randomBytes(32).toString('base64url'),
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
