import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliDeps, GlobalOptions, Runtime } from '../deps.js';
import { percent, printJson, table } from '../output.js';
import { createProgress } from '../progress.js';
import { positiveInt } from './parse.js';
import {
  classifyStudy,
  loadStudyReport,
  probeStudy,
  resolveStudy,
  runStudy,
  truthEstimates,
  writeStudyReport,
  type StudyEnvironment,
  type StudyParams,
} from '../../traceback/study/index.js';
import type { StudyReport } from '../../traceback/report/index.js';
import { range } from '../../traceback/report/index.js';

type ListSpec = NonNullable<StudyParams['lists']>[number];

/** "path" or "path,format=threatfox,date=2024-05-01,feed=name". */
export function listSpec(value: string): ListSpec {
  const [path = '', ...opts] = value.split(',');
  if (path === '') throw new InvalidArgumentError('expected a file name');
  const spec: { path: string; format?: string; snapshotDate?: string; feed?: string } = { path };
  for (const o of opts) {
    const [k, v = ''] = o.split('=');
    if (v === '') throw new InvalidArgumentError(`expected key=value after the file name, got "${o}"`);
    if (k === 'format') spec.format = v;
    else if (k === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError(`date must be YYYY-MM-DD, got "${v}"`);
      spec.snapshotDate = v;
    } else if (k === 'feed') spec.feed = v;
    else throw new InvalidArgumentError(`unknown list option "${k}" (format, date, feed)`);
  }
  return spec;
}

const collect = <T>(parse: (v: string) => T) => (v: string, prev: T[] | undefined): T[] => [...(prev ?? []), parse(v)];
const port = (v: string): number => {
  const n = positiveInt(v);
  if (n > 65535) throw new InvalidArgumentError(`a port is at most 65535, got ${v}`);
  return n;
};
const seconds = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected seconds ≥ 0, got "${v}"`);
  return Math.round(n * 1000);
};

interface StudyOpts {
  study: string;
  json?: boolean;
  list?: ListSpec[];
  category?: string[];
  control?: ListSpec[];
  rootHints?: string;
  port?: number;
  rounds?: number;
  interval?: number;
  concurrency?: number;
  timeout?: number;
  dnsAddressMap?: string;
  ptrServer?: string[];
  geoDb?: string;
  asnDb?: string;
  blocklist?: ListSpec[];
  blocklistHistory?: ListSpec[];
  sinkholes?: string;
  snapshot?: ListSpec[];
  lifetimes?: ListSpec[];
  ircPort?: number;
  ircMap?: string;
  ircConcurrency?: number;
  ircTimeout?: number;
}

function addResolveOptions(c: Command): Command {
  return c
    .option('--list <file[,format=F][,date=D]>', 'C&C domain or IP list (repeatable; MDL, URLhaus, ThreatFox, Feodo, plain; detected when no format)', collect(listSpec))
    .option('--category <name...>', 'keep only these categories (e.g. botnet_cc), or one "/pattern/i" on category, malware and description')
    .option('--control <file[,format=F]>', 'benign control list of names (repeatable)', collect(listSpec))
    .option('--root-hints <file>', 'root hints file (named.root syntax)')
    .option('--port <n>', 'DNS port of every query (53 in the wild)', port)
    .option('--rounds <n>', 'resolve the list this many times to find fast flux', (v) => positiveInt(v))
    .option('--interval <seconds>', 'pause between rounds', seconds)
    .option('--concurrency <n>', 'names resolved at once', (v) => positiveInt(v))
    .option('--timeout <seconds>', 'per-query time-out', seconds);
}

function addClassifyOptions(c: Command): Command {
  return c
    .option('--ptr-server <host:port>', 'PTR look-ups through this server (repeatable; default: the system resolvers)', collect(String))
    .option('--dns-address-map <file>', 'lab worlds: "listener data-address" lines for DNS servers')
    .option('--geo-db <file>', 'country database (MaxMind DB); default: the configured one')
    .option('--asn-db <file>', 'ASN database (ip-location-db CSV or MaxMind DB); default: the configured one')
    .option('--blocklist <file[,format=F][,date=D][,feed=N]>', 'blocklist snapshot (repeatable; Spamhaus, ET, FireHOL, plain)', collect(listSpec))
    .option('--blocklist-history <file[,date=D][,feed=N]>', 'older snapshot of a blocklist, same feed name, for listing persistence (repeatable)', collect(listSpec))
    .option('--sinkholes <file>', 'sinkhole list: "ip-or-cidr-or-name label" lines')
    .option('--snapshot <file[,date=D]>', 'dated snapshot of a C&C list, for lifetimes (repeatable)', collect(listSpec))
    .option('--lifetimes <file[,format=F]>', 'C&C list with first/last-seen columns (ThreatFox, Feodo), for lifetimes (repeatable)', collect(listSpec));
}

function addProbeOptions(c: Command): Command {
  return c
    .option('--irc-port <n>', 'IRC port (default 6667)', port)
    .option('--irc-map <file>', 'lab worlds: "cc-address host[:port]" lines: where to probe instead')
    .option('--irc-concurrency <n>', 'probes at once (default 10, at most 256)', (v) => positiveInt(v))
    .option('--irc-timeout <seconds>', 'per probe (default 15)', seconds);
}

function paramsOf(o: StudyOpts): StudyParams {
  const p: Record<string, unknown> = {
    lists: o.list,
    category: o.category,
    control: o.control,
    rootHints: o.rootHints,
    port: o.port,
    rounds: o.rounds,
    intervalMs: o.interval,
    concurrency: o.concurrency,
    timeoutMs: o.timeout,
    dnsAddressMap: o.dnsAddressMap,
    ptrServers: o.ptrServer,
    geoDb: o.geoDb,
    asnDb: o.asnDb,
    blocklists: o.blocklist,
    blocklistHistory: o.blocklistHistory,
    sinkholes: o.sinkholes,
    snapshots: o.snapshot,
    lifetimes: o.lifetimes,
    ircPort: o.ircPort,
    ircMap: o.ircMap,
    ircConcurrency: o.ircConcurrency,
    ircTimeoutMs: o.ircTimeout,
  };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return p as StudyParams;
}

async function withRuntime<T>(deps: CliDeps, g: GlobalOptions, json: boolean, fn: (rt: Runtime, env: StudyEnvironment) => Promise<T>): Promise<T> {
  const rt = await deps.openRuntime(g);
  const progress = createProgress(!json);
  try {
    return await fn(rt, { onProgress: (label, done, total) => progress.update(done, total, label) });
  } finally {
    progress.stop();
    await rt.close();
  }
}

/** The configured country/AS databases, opened only when the study names none of its own. */
async function configuredEnrich(rt: Runtime, p: StudyParams): Promise<StudyEnvironment['enrich']> {
  if (p.geoDb !== undefined && p.asnDb !== undefined) return undefined;
  const e = await rt.enricher();
  return (ip) => {
    const r = e.enrich(ip);
    return { country: r.country, asn: r.asn };
  };
}

export function formatReport(rep: StudyReport): string {
  const r = (x: { count: number; n: number; share: number | null }): string => `${x.count}/${x.n} = ${percent(x.share)}`;
  const lines = [
    `study ${rep.study}: ${rep.resolution.names} C&C names, ${rep.ipCounts['cc'] ?? 0} C&C IPs, ${rep.ipCounts['dns'] ?? 0} DNS IPs, ${rep.fastFlux.length} fast-flux names, ${rep.rejects} rejected lines`,
    table(
      ['figure', 'value', 'range'],
      [
        ['S25R DNS raw / control / corrected', `${r(rep.table1.dns.raw)} / ${r(rep.table1.dns.control)} / ${percent(rep.table1.dns.corrected)}`, range(rep.table1.dns.range)],
        ['S25R C&C raw / control / corrected', `${r(rep.table1.cc.raw)} / ${r(rep.table1.cc.control)} / ${percent(rep.table1.cc.corrected)}`, range(rep.table1.cc.range)],
        ['C&C blocklisted', r(rep.table2.cc), ''],
        ['open IRC among probed', r(rep.table3.open), ''],
        ['life under 7 days (non-end-user)', r(rep.table4), ''],
        ['end user', r(rep.combined.endUser.raw), range(rep.combined.endUser.range)],
        ['unmanaged (lower bound)', r(rep.combined.unmanagedLowerBound), ''],
        ['professional (remainder)', r(rep.combined.professional.classified), range(rep.combined.professional.range)],
        ...rep.persistence.map((p) => [`persistence ${p.feed} ${p.olderDate ?? '?'}..${p.newerDate ?? '?'}`, r(p.ratio), '']),
        ...rep.reach.map((x) => [`reach, ${x.k} stepping stone(s)`, '', `${range(x.range)}${x.paper === null ? '' : ` (paper ${range(x.paper)})`}`]),
      ],
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerTraceback(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  const tb = program
    .command('traceback')
    .description('the botnet-traceback study: resolve C&C names from the root, classify their servers, probe IRC, report')
    .addHelpText('after', '\nSteps store their results in the database under --study, so a study resumes and can be reported again.\nOptions given once are remembered with the study.');

  addResolveOptions(tb.command('resolve').description('read C&C and control lists and resolve every name iteratively from the root (resumes)'))
    .option('--study <id>', 'study name', 'default')
    .option('--json', 'print as JSON')
    .action(async (o: StudyOpts) => {
      await withRuntime(deps, globals(), o.json === true, async (rt, env) => {
        const s = await resolveStudy(await rt.storage(), o.study, paramsOf(o), env);
        if (o.json) return printJson(s);
        process.stdout.write(
          `${table(['list', 'format', 'snapshot', 'names', 'ips', 'rejects', 'filtered'], s.lists.files.map((f) => [f.source, f.format, f.snapshotDate, f.names, f.ips, f.rejects, f.filtered]))}\n` +
            `resolved ${s.resolved} (skipped ${s.skipped} already resolved) over ${s.rounds} round(s), ${s.queries} queries; ${Object.entries(s.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}; fast flux: ${s.fastFlux.length}\n`,
        );
      });
    });

  addClassifyOptions(tb.command('classify').description('PTR, S25R, country, AS, blocklists, sinkholes and lifetime of every DNS and C&C server IP'))
    .option('--study <id>', 'study name', 'default')
    .option('--json', 'print as JSON')
    .action(async (o: StudyOpts) => {
      await withRuntime(deps, globals(), o.json === true, async (rt, env) => {
        const storage = await rt.storage();
        const p = paramsOf(o);
        const enrich = await configuredEnrich(rt, p);
        const s = await classifyStudy(storage, o.study, p, { ...env, ...(enrich !== undefined ? { enrich } : {}) });
        if (o.json) return printJson(s);
        process.stdout.write(`${table(['role:class', 'IPs'], Object.entries(s.byClass).sort().map(([k, v]) => [k, v]))}\nwith PTR ${s.withPtr}, forward-confirmed ${s.forwardConfirmed}; ${s.rejects} bad lines\n`);
      });
    });

  addProbeOptions(tb.command('probe-irc').description('probe the C&C IPs for IRC servers open without a password (loopback only unless --active)'))
    .option('--study <id>', 'study name', 'default')
    .option('--active', 'probe third-party hosts: active scanning, only with permission')
    .option('--again', 'probe addresses that already have a verdict')
    .option('--json', 'print as JSON')
    .action(async (o: StudyOpts & { active?: boolean; again?: boolean }) => {
      await withRuntime(deps, globals(), o.json === true, async (rt, env) => {
        const s = await probeStudy(await rt.storage(), o.study, paramsOf(o), { active: o.active === true, again: o.again === true }, env);
        if (o.json) return printJson(s);
        process.stdout.write(`probed ${s.probed} (skipped ${s.skipped} with a verdict): ${Object.entries(s.byVerdict).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing to probe'}\n`);
      });
    });

  tb.command('report')
    .description('Tables 1-4, Figures 3-6, combined estimate and reach: report.html (self-contained), report.json, report.csv')
    .option('--study <id>', 'study name', 'default')
    .option('--out <dir>', 'write the report files here')
    .option('--json', 'print the report as JSON')
    .action(async (o: { study: string; out?: string; json?: boolean }) => {
      await withRuntime(deps, globals(), true, async (rt) => {
        const rep = await loadStudyReport(await rt.storage(), o.study);
        const files = o.out === undefined ? null : await writeStudyReport(rep, o.out);
        if (o.json) return printJson(rep);
        process.stdout.write(formatReport(rep) + (files === null ? '' : `wrote ${files.html}, ${files.json}, ${files.csv}\n`));
      });
    });

  addProbeOptions(addClassifyOptions(addResolveOptions(tb.command('study').description('every step in order: resolve, classify, probe-irc, report'))))
    .option('--study <id>', 'study name', 'default')
    .option('--active', 'probe third-party IRC hosts: active scanning, only with permission')
    .option('--skip-irc', 'do not probe IRC')
    .option('--out <dir>', 'write the report files here')
    .option('--json', 'print as JSON')
    .action(async (o: StudyOpts & { active?: boolean; skipIrc?: boolean; out?: string }) => {
      await withRuntime(deps, globals(), o.json === true, async (rt, env) => {
        const p = paramsOf(o);
        const enrich = await configuredEnrich(rt, p);
        const s = await runStudy(await rt.storage(), o.study, p, { active: o.active === true, skipIrc: o.skipIrc === true, ...(o.out !== undefined ? { outDir: o.out } : {}) }, { ...env, ...(enrich !== undefined ? { enrich } : {}) });
        if (o.json) return printJson({ ...s, estimates: truthEstimates(s.report) });
        process.stdout.write(formatReport(s.report) + (s.files === null ? '' : `wrote ${s.files.html}, ${s.files.json}, ${s.files.csv}\n`));
      });
    });

  registerTracebackDemo(tb, deps, globals);
}

function registerTracebackDemo(tb: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  tb.command('demo')
    .description('run the whole study on a synthetic world served on loopback and compare every estimate with its known truth')
    .option('--dir <folder>', 'folder for the world files, the database and the report', 'cleancenter-traceback-demo')
    .option('--seed <n>', 'world seed', (v) => positiveInt(v, 0), 1)
    .option('--names <n>', 'C&C names in the world', (v) => positiveInt(v), 300)
    .option('--json', 'print as JSON')
    .action(async (o: { dir: string; seed: number; names: number; json?: boolean }) => {
      const { startStudyWorld, compareToTruth } = await import('../../traceback/world/index.js');
      await mkdir(join(o.dir, 'world'), { recursive: true });
      const world = await startStudyWorld({ seed: o.seed, names: o.names, dir: join(o.dir, 'world') });
      try {
        const f = world.files;
        const spec = (x: { path: string; format?: string; snapshotDate?: string; feed?: string }): ListSpec => ({ path: x.path, ...(x.format !== undefined ? { format: x.format } : {}), ...(x.snapshotDate !== undefined ? { snapshotDate: x.snapshotDate } : {}), ...(x.feed !== undefined ? { feed: x.feed } : {}) });
        const params: StudyParams = {
          lists: [spec(f.ccList)],
          control: [spec(f.control)],
          rootHints: f.rootHints.path,
          port: world.dnsPort,
          rounds: 2,
          intervalMs: 0,
          timeoutMs: 1000,
          dnsAddressMap: f.dnsAddresses.path,
          ptrServers: [`${world.ptrServer.host}:${world.ptrServer.port}`],
          geoDb: f.geoDb.path,
          blocklists: f.blocklists.map(spec),
          blocklistHistory: f.snapshots.slice(0, -1).map(spec),
          sinkholes: f.sinkholes.path,
          lifetimes: f.lifetimes.map(spec),
          ircMap: f.ircTargets.path,
          ircTimeoutMs: 3000,
        };
        await withRuntime(deps, { ...globals(), db: join(o.dir, `traceback-demo-${Date.now()}.db`) }, o.json === true, async (rt, env) => {
          const enrich = await configuredEnrich(rt, params);
          const s = await runStudy(await rt.storage(), 'demo', params, { active: false, outDir: join(o.dir, 'report') }, { ...env, ...(enrich !== undefined ? { enrich } : {}) });
          const comparison = compareToTruth(truthEstimates(s.report), world.truth);
          if (o.json) return printJson({ report: s.report, files: s.files, comparison });
          process.stdout.write(formatReport(s.report));
          process.stdout.write(`\nagainst the known truth:\n${table(['share', 'estimate', 'interval', 'truth', 'within'], comparison.map((c) => [c.key, percent(c.estimate), c.interval === null ? '-' : range(c.interval), percent(c.truth), c.within ? 'yes' : 'NO']))}\n`);
          for (const c of comparison.filter((x) => !x.within)) process.stdout.write(`  ${c.key}: ${c.why}\n`);
          if (s.files !== null) process.stdout.write(`wrote ${s.files.html}\n`);
        });
      } finally {
        await world.stop();
      }
    });
}
