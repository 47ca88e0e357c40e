import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { ingestFiles, type IngestSummary } from '../../intake/ingest.js';
import { registerDownloadFolder, type RegisterSummary } from '../../samples/register-downloads.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { createProgress } from '../progress.js';

export function registerIngest(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const formats = [...deps.readers.keys()].join(', ');
  program
    .command('ingest')
    .description('read honeypot logs, enrich and store the events, keep every rejected record')
    .requiredOption('-f, --format <format>', `input format: ${formats}`)
    .option('--sensor <name>', 'sensor name for formats that do not carry one')
    .option('--downloads <dir>', "also hash the binaries in this download folder (dionaea names them by MD5, Cowrie by SHA-256)")
    .option('--json', 'print the summary as JSON')
    .argument('<paths...>', 'log files (a dionaea log_sqlite file, JSON-lines or CSV files)')
    .addHelpText('after', '\nThe summary always adds up: records read = events stored + duplicates + rejected + not attack events.\nRe-running the same files stores nothing new.')
    .action(async (paths: string[], o: { format: string; sensor?: string; downloads?: string; json?: boolean }) => {
      const reader = deps.readers.get(o.format);
      if (reader === undefined) throw new UserError('UNKNOWN_FORMAT', `unknown format "${o.format}"; known formats: ${formats}`);
      const rt = await deps.openRuntime(globals());
      try {
        const storage = await rt.storage();
        const enricher = await rt.enricher();
        const ptr = rt.ptr();
        const progress = createProgress(!o.json);
        const summary = await ingestFiles({
          storage,
          reader,
          paths,
          enricher,
          ...(ptr !== null ? { ptr } : {}),
          ...(o.sensor !== undefined ? { sensor: o.sensor } : {}),
          onProgress: (p) => progress.update(p.total === null ? p.recordsRead : p.done, p.total, `${p.fileIndex + 1}/${p.fileCount} ${p.file}: ${p.recordsRead} records`),
        });
        let downloads: RegisterSummary | null = null;
        if (o.downloads !== undefined) downloads = await registerDownloadFolder(storage, o.downloads, (n) => progress.update(n, null, `hashing ${o.downloads}`));
        progress.stop();
        if (o.json) printJson({ ...summary, database: rt.databaseLocation, downloads });
        else {
          process.stdout.write(formatIngestSummary(summary));
          if (downloads !== null) process.stdout.write(formatRegisterSummary(downloads));
        }
      } finally {
        await rt.close();
      }
    });
}

export function formatIngestSummary(s: IngestSummary): string {
  const lines = [
    `ingest ${s.format}: ${s.files.length} file(s) in ${(s.elapsedMs / 1000).toFixed(1)} s`,
    table(
      ['', 'count'],
      [
        ['records read', s.recordsRead],
        ['  events stored', s.eventsStored],
        ['  duplicates skipped', s.duplicates],
        ['  records rejected', s.rejected],
        ['  not attack events', s.ignored],
        ['samples new', s.samplesNew],
        ['samples already known', s.samplesKnown],
      ],
    ),
  ];
  const kinds = Object.entries(s.ignoredByKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) lines.push(`not attack events by kind: ${kinds.map(([k, n]) => `${printable(k, 60)} ${n}`).join(', ')}`);
  if (s.files.length > 1) {
    lines.push(table(['file', 'read', 'stored', 'duplicates', 'rejected', 'ignored'], s.files.map((f) => [printable(f.path, 80), f.recordsRead, f.eventsStored, f.duplicates, f.rejected, f.ignored])));
  }
  if (s.rejected > 0) {
    lines.push(`rejected records (${s.rejected}; ${s.rejectsNew} not seen before; all kept, list them with \`cleancenter rejects\`):`);
    for (const r of s.rejects.slice(0, 10)) lines.push(`  ${printable(r.source, 60)}:${r.line ?? r.row ?? '-'}: ${printable(r.reason, 160)}`);
    if (s.rejected > 10) lines.push(`  … and ${s.rejected - 10} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatRegisterSummary(d: RegisterSummary): string {
  const lines = [
    `download folder ${d.folder}: ${d.filesRead} binaries hashed (${d.newSamples} new samples, ${d.binariesForHashOnlySamples} binaries for samples known only by hash, ${d.alreadyPresent} already present, ${d.merged} merged)`,
  ];
  for (const p of d.nameMismatches) lines.push(`  name does not match content hash (truncated or corrupt download?): ${printable(p)}`);
  for (const e of d.errors) lines.push(`  unreadable: ${printable(e.path)}: ${printable(e.reason)}`);
  for (const e of d.skipped) lines.push(`  skipped: ${printable(e.path)}: ${printable(e.reason)}`);
  return `${lines.join('\n')}\n`;
}
