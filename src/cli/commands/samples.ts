import { InvalidArgumentError, type Command } from 'commander';
import { listSamples, sampleCounts } from '../../storage/repositories/samples-repository.js';
import { registerDownloadFolder } from '../../samples/register-downloads.js';
import { scanStoredSamples } from '../../samples/scan-samples.js';
import { UserError } from '../../domain/errors.js';
import type { CliDeps, GlobalOptions, ScannerSpec } from '../deps.js';
import { printJson, printable, table } from '../output.js';
import { createProgress } from '../progress.js';
import { formatRegisterSummary } from './ingest.js';
import { positiveInt } from './parse.js';

const SCANNERS = ['clamd', 'clamscan', 'yara', 'hash-list'] as const;

export function registerSamples(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const samples = program.command('samples').description('list, add and scan bot samples (deduplicated on SHA-256; MD5 and SHA-1 kept as aliases)');

  samples
    .command('list', { isDefault: true })
    .description('list samples with their hashes, sightings and verdicts')
    .option('--unknown', 'only samples no scanner knows now')
    .option('--limit <n>', 'at most this many', positiveInt, 1000)
    .option('--json', 'print as JSON')
    .action(async (o: { unknown?: boolean; limit: number; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const list = await listSamples(await rt.storage(), { limit: o.limit, onlyUnknown: o.unknown ?? false });
        if (o.json) return printJson(list);
        process.stdout.write(`${list.length} sample(s)\n`);
        if (list.length === 0) return;
        process.stdout.write(
          `${table(
            ['sha256 / key', 'md5', 'binary', 'sightings', 'first seen', 'first verdict', 'known now', 'signatures'],
            list.map((s) => [
              s.sha256 ?? s.sampleKey,
              s.md5,
              s.binaryPresent ? 'present' : 'absent (hash only)',
              s.sightings,
              s.firstSeen.slice(0, 10),
              s.firstVerdict ?? 'not scanned',
              s.knownNow ?? 'not scanned',
              printable(s.signatures.join(' '), 60),
            ]),
          )}\n`,
        );
      } finally {
        await rt.close();
      }
    });

  samples
    .command('add')
    .description('hash the binaries in a honeypot download folder and store them as samples')
    .argument('<dir>', 'the download folder')
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const progress = createProgress(!o.json);
        const r = await registerDownloadFolder(await rt.storage(), dir, (n) => progress.update(n, null, `hashing ${dir}`));
        progress.stop();
        if (o.json) printJson(r);
        else process.stdout.write(formatRegisterSummary(r));
      } finally {
        await rt.close();
      }
    });

  samples
    .command('scan')
    .description('classify samples as known or unknown to anti-virus; each verdict is stored with scanner, signature and date')
    .requiredOption('--scanner <kind>', `one of ${SCANNERS.join(', ')}`, (v) => {
      if (!(SCANNERS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${SCANNERS.join(', ')}`);
      return v;
    })
    .option('--clamd <address>', 'clamd address: host:port or a unix socket path', '127.0.0.1:3310')
    .option('--clamav-db <dir>', 'signature database folder for clamscan')
    .option('--rules <file>', 'YARA rules file (source or compiled)')
    .option('--hash-list <file>', 'hash list: one MD5/SHA-1/SHA-256 per line, optionally followed by a name')
    .option('--unknown', 'only scan samples no scanner knows yet')
    .option('--json', 'print as JSON')
    .action(async (o: { scanner: (typeof SCANNERS)[number]; clamd: string; clamavDb?: string; rules?: string; hashList?: string; unknown?: boolean; json?: boolean }) => {
      const spec = scannerSpec(o);
      const rt = await deps.openRuntime(globals());
      const scanner = await deps.openScanner(spec);
      try {
        const progress = createProgress(!o.json);
        const r = await scanStoredSamples(await rt.storage(), scanner, { onlyUnknown: o.unknown ?? false, onProgress: (d, t) => progress.update(d, t, `scanning with ${scanner.name}`) });
        progress.stop();
        if (o.json) return printJson(r);
        process.stdout.write(`${scanner.name}: ${r.scanned} scanned, ${r.known} known, ${r.unknown} unknown, ${r.errors} errors (${r.binaryAbsent} without binary)\n`);
        const shown = r.verdicts.filter((v) => v.verdict.verdict !== 'unknown').slice(0, 50);
        if (shown.length > 0) {
          process.stdout.write(`${table(['sample', 'verdict', 'signature / detail'], shown.map((v) => [v.sampleKey, v.verdict.verdict, printable(v.verdict.signature ?? v.verdict.detail ?? '', 80)]))}\n`);
        }
      } finally {
        await scanner.close?.();
        await rt.close();
      }
    });

  samples
    .command('counts')
    .description('samples collected and distinct samples per day or per month')
    .option('--by <period>', 'day or month', (v) => {
      if (v !== 'day' && v !== 'month') throw new InvalidArgumentError('expected day or month');
      return v;
    }, 'month')
    .option('--json', 'print as JSON')
    .action(async (o: { by: 'day' | 'month'; json?: boolean }) => {
      const rt = await deps.openRuntime(globals());
      try {
        const rows = await sampleCounts(await rt.storage(), o.by);
        if (o.json) return printJson(rows);
        process.stdout.write(`${table([o.by, 'samples collected', 'distinct samples'], rows.map((r) => [r.period, r.collected, r.distinct]))}\n`);
      } finally {
        await rt.close();
      }
    });
}

function scannerSpec(o: { scanner: string; clamd: string; clamavDb?: string; rules?: string; hashList?: string }): ScannerSpec {
  switch (o.scanner) {
    case 'clamd':
      return { kind: 'clamd', address: o.clamd };
    case 'clamscan':
      return { kind: 'clamscan', ...(o.clamavDb !== undefined ? { database: o.clamavDb } : {}) };
    case 'yara':
      if (o.rules === undefined) throw new UserError('USAGE', '--scanner yara needs --rules <file>');
      return { kind: 'yara', rules: o.rules };
    default:
      if (o.hashList === undefined) throw new UserError('USAGE', '--scanner hash-list needs --hash-list <file>');
      return { kind: 'hash-list', file: o.hashList };
  }
}
