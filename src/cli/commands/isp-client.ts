import { Option, type Command } from 'commander';
import type { IspClient } from '../../isp-client/open-client.js';
import type { IspClientDeps } from '../../isp-client/cli-deps.js';
import { printJson, table } from '../output.js';
import { createProgress } from '../progress.js';

/**
 * `cleancenter isp …`: the notification client that runs at an ISP with its own config and
 * SQLite file. Subscriber data stays there; only keys and notice counts reach the center.
 */
export function registerIspClient(program: Command, deps: { readonly isp: IspClientDeps }): void {
  const isp = program
    .command('isp')
    .description('the ISP notification client (runs at the ISP): pull requests, answer with opaque keys, send staged notices, print letters')
    .addOption(new Option('--isp-config <file>', 'ISP client config (default ./isp-client.yaml)').env('CLEANCENTER_ISP_CONFIG'))
    .addHelpText('after', '\nSecrets can come from the environment: CLEANCENTER_ISP_TOKEN, CLEANCENTER_ISP_KEY_SECRET, CLEANCENTER_ISP_SMTP_PASS.');
  const withClient = async <T>(fn: (c: IspClient) => Promise<T>): Promise<T> => {
    const c = await deps.isp.open(isp.opts<{ ispConfig?: string }>().ispConfig);
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  };

  isp
    .command('init')
    .description('write a commented starter isp-client.yaml')
    .argument('[file]', 'where to write it', 'isp-client.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print as JSON')
    .action((file: string, o: { force?: boolean; json?: boolean }) => {
      const written = deps.isp.writeStarter(file, o.force ?? false);
      if (o.json) return printJson({ written });
      process.stdout.write(`wrote ${written}\nedit center.url, lookup and smtp; set CLEANCENTER_ISP_TOKEN and CLEANCENTER_ISP_KEY_SECRET; then run: cleancenter isp pull\n`);
    });

  isp
    .command('pull')
    .description('fetch open identification requests and look each incident up locally (by IP, port and time)')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) =>
      withClient(async (c) => {
        const progress = createProgress(!o.json);
        const r = await c.pull((done, total) => progress.update(done, total, 'lookups'));
        progress.stop();
        if (o.json) return printJson(r);
        const lines = [
          `${r.requests} requests, ${r.items} incidents: ${r.identified} identified, ${r.notFound} not found, ${r.notOurCustomer} not our customer, ${r.errors} lookup errors (retried next pull), ${r.alreadyKnown} already known, ${r.badItems} unusable`,
        ];
        if (r.lookupRejects.length > 0) {
          lines.push(`${r.lookupRejects.length} subscriber-file rows skipped:`);
          for (const x of r.lookupRejects.slice(0, 20)) lines.push(`  ${x.source}:${x.line ?? '?'}: ${x.reason}`);
          if (r.lookupRejects.length > 20) lines.push(`  … and ${r.lookupRejects.length - 20} more (see --json)`);
        }
        process.stdout.write(`${lines.join('\n')}\nnext: cleancenter isp answer\n`);
      }),
    );

  isp
    .command('answer')
    .description('upload the answers: tracking ID, result and opaque subscriber key only')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) =>
      withClient(async (c) => {
        const r = await c.answer();
        if (o.json) return printJson(r);
        const lines = [`${r.uploaded} answers uploaded, ${r.applied} applied, ${r.rejected.length} refused, ${r.waiting} waiting for a lookup retry`];
        for (const x of r.rejected.slice(0, 20)) lines.push(`  refused ${x.trackingId}: ${x.reason}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  isp
    .command('notify')
    .description('send the weekly staged e-mail notices (only on the configured weekday and hour unless --now)')
    .option('--now', 'send now whatever the weekday')
    .option('--dry-run', 'plan and show, send and record nothing')
    .option('--json', 'print as JSON')
    .action((o: { now?: boolean; dryRun?: boolean; json?: boolean }) =>
      withClient(async (c) => {
        const r = await c.notify({ ...(o.now ? { now: true } : {}), ...(o.dryRun ? { dryRun: true } : {}) });
        if (o.json) return printJson(r);
        if (!r.due) {
          const n = c.context.config.notices;
          process.stdout.write(`not the notice time (${n.weekday} from ${n.hour}:00 ${n.timezone}); nothing sent. Use --now to send anyway.\n`);
          return;
        }
        const out = [`${r.planned} planned, ${o.dryRun ? 'dry run: nothing sent' : `${r.sent} sent, ${r.failed.length} failed`}, ${r.reported} facts reported to the center`];
        const stages = Object.entries(r.byStage).map(([s, n]) => [s, n] as [string, number]);
        if (stages.length > 0) out.push(table(['stage', 'notices'], stages));
        for (const [reason, n] of Object.entries(r.skipped)) out.push(`skipped (${reason}): ${n}`);
        for (const p of r.preview.slice(0, 20)) out.push(`  stage ${p.stage} ${p.language}: ${p.subject}`);
        for (const f of r.failed.slice(0, 20)) out.push(`  failed ${f.subscriberKey}: ${f.reason}`);
        process.stdout.write(`${out.join('\n')}\n`);
      }),
    );

  isp
    .command('letters')
    .description('postal letters for subscribers matching a targeting rule, as a printable PDF or a mail-merge CSV')
    .addOption(new Option('--format <format>', 'output format').choices(['pdf', 'csv']).default('pdf'))
    .requiredOption('--out <file>', 'where to write the letters')
    .option('--dry-run', 'write the file but record nothing')
    .option('--json', 'print as JSON')
    .action((o: { format: 'pdf' | 'csv'; out: string; dryRun?: boolean; json?: boolean }) =>
      withClient(async (c) => {
        const r = await c.letters({ format: o.format, out: o.out, ...(o.dryRun ? { dryRun: true } : {}) });
        if (o.json) return printJson(r);
        const b = r.byReason;
        process.stdout.write(
          `${r.letters} letters written to ${r.out} (${r.format}); rules matched: many attacks ${b['many-attacks']}, many attacks on an unchanged default address ${b['many-attacks-default-mail']}, no reaction ${b['no-reaction']}; skipped: ${r.skipped.noPostalAddress} without an address, ${r.skipped.recentLetter} sent a letter recently\n`,
        );
      }),
    );

  isp
    .command('status')
    .description("what the client's own database holds")
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) =>
      withClient(async (c) => {
        const r = await c.status();
        if (o.json) return printJson(r);
        const lines = [
          `incidents: ${Object.entries(r.items).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; ${r.unanswered} not yet answered`,
          `subscribers: ${r.subscribers}; notices not yet reported: ${r.unreportedNotices}`,
        ];
        if (r.notices.length > 0) lines.push(table(['channel', 'stage', 'sent'], r.notices.map((n) => [n.channel, n.stage, n.count])));
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
