import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson } from '../output.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}

/** `cleancenter serve`: the ISP API, the portals and the public site, until SIGINT or SIGTERM. */
export function registerServe(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('serve the ISP API (/api/isp/v1), the ISP portal (/portal), the operator pages (/operator) and the public site (/t/…, /check)')
    .addOption(new Option('--host <address>', 'address to listen on (default: http.host in the config, 127.0.0.1)'))
    .addOption(new Option('--port <n>', 'port to listen on; 0 picks a free one (default: http.port, 8080)').argParser(port))
    .option('--json', 'print the listening address as JSON')
    .addHelpText('after', '\nLinks in pages and requests use http.publicUrl from the config (https:// makes cookies Secure).\nStops cleanly on Ctrl-C or SIGTERM.')
    .action(async (o: { host?: string; port?: number; json?: boolean }) => {
      const server = await deps.startServer(globals(), { ...(o.host !== undefined ? { host: o.host } : {}), ...(o.port !== undefined ? { port: o.port } : {}) });
      if (o.json) printJson({ url: server.url, publicUrl: server.publicUrl });
      else process.stdout.write(`cleancenter: serving on ${server.url} (public URL ${server.publicUrl}); Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}
