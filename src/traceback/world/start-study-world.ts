/**
 * Serves a generated world on loopback: writes its files into a directory, starts the fake DNS
 * hierarchy (127.0.1.x, one port) and the IRC listeners (127.0.2.x), and says how to reach them.
 *
 * Two address maps connect the world's documentation addresses to the loopback listeners:
 * - `dnsAddresses` (listener → data address): the resolver reports the loopback address it
 *   queried; the study translates it to the DNS server's data address before classifying it.
 * - `ircTargets` (data address → listener): the IRC probe connects to the listener in place of
 *   the C&C address. Both maps are also written as text files ("<from> <to>" per line).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeHierarchy } from '../resolver/fake-hierarchy.js';
import type { RootHint } from '../resolver/types.js';
import { startFakeIrcServer, type FakeIrcConnection, type FakeIrcServer } from '../irc-probe/fake-irc-server.js';
import { generateWorld } from './generate-world.js';
import type { IrcTruth, World, WorldFile, WorldOptions, WorldTruth } from './types.js';

export interface StudyWorldOptions extends WorldOptions {
  /** Where the files go; default a fresh temporary directory, removed by stop(). */
  readonly dir?: string;
  /** DNS port of every fake server; default a free random high port. */
  readonly dnsPort?: number;
}

/** A file of the world on disk. */
export interface WorldFilePath {
  readonly path: string;
  readonly name: string;
  /** src/feeds format name, when a feed reader reads the file. */
  readonly format?: string;
  /** Blocklists: the list name the truth uses; pass it as the feed reader's `feed` option. */
  readonly feed?: string;
  readonly snapshotDate?: string;
}

export interface StudyWorld {
  readonly dir: string;
  /** Root servers for createIterativeResolver (loopback addresses), also written as root.hints. */
  readonly rootHints: readonly RootHint[];
  readonly dnsPort: number;
  /** The server authoritative for in-addr.arpa, for direct PTR queries ("host:port" for createPtrResolver). */
  readonly ptrServer: { readonly host: string; readonly port: number };
  /** Listener → data address of every DNS server. */
  readonly dnsAddresses: ReadonlyMap<string, string>;
  /** C&C data address → the IRC listener that plays it. */
  readonly ircTargets: ReadonlyMap<string, { readonly host: string; readonly port: number }>;
  readonly files: {
    readonly ccList: WorldFilePath;
    readonly control: WorldFilePath;
    readonly blocklists: readonly WorldFilePath[];
    /** Older and newer snapshot of the same list, oldest first. */
    readonly snapshots: readonly WorldFilePath[];
    /** ThreatFox and Feodo CSVs with first and last seen. */
    readonly lifetimes: readonly WorldFilePath[];
    readonly geoDb: WorldFilePath;
    readonly sinkholes: WorldFilePath;
    readonly rootHints: WorldFilePath;
    readonly ircTargets: WorldFilePath;
    readonly dnsAddresses: WorldFilePath;
    readonly truth: WorldFilePath;
  };
  readonly truth: WorldTruth;
  readonly world: World;
  stop(): Promise<void>;
}

const IRC_HOSTS: Readonly<Record<Exclude<IrcTruth, 'refused'>, string>> = {
  open: '127.0.2.1',
  'password-required': '127.0.2.2',
  banned: '127.0.2.3',
};
const REFUSED_HOST = '127.0.2.4';

/** Replies once the client has registered (NICK and USER), as an IRC server does. */
function onRegistered(c: FakeIrcConnection, reply: (nick: string) => void): void {
  let done = false;
  c.onLine(() => {
    if (done) return;
    const nickLine = c.received.find((l) => l.toUpperCase().startsWith('NICK '));
    if (nickLine === undefined || !c.received.some((l) => l.toUpperCase().startsWith('USER '))) return;
    done = true;
    reply(nickLine.slice(5).trim() || '*');
  });
}

const IRC_SCRIPTS: Readonly<Record<Exclude<IrcTruth, 'refused'>, (c: FakeIrcConnection) => void>> = {
  open: (c) => {
    c.send(':irc.world.test NOTICE * :*** Looking up your hostname...\r\n');
    onRegistered(c, (nick) => {
      c.send(`:irc.world.test 001 ${nick} :Welcome to the world IRC network ${nick}\r\n`);
      c.send(`:irc.world.test 002 ${nick} :Your host is irc.world.test\r\n`);
    });
    c.onLine((l) => {
      if (l.toUpperCase().startsWith('QUIT')) c.close();
    });
  },
  'password-required': (c) => {
    onRegistered(c, () => {
      c.send(':irc.world.test 464 * :Password incorrect\r\n');
      c.send('ERROR :Closing Link: [127.0.0.1] (Bad Password)\r\n');
      c.close();
    });
  },
  banned: (c) => {
    onRegistered(c, () => {
      c.send(':irc.world.test 465 * :You are banned from this server\r\n');
      c.send('ERROR :Closing Link: [127.0.0.1] (K-lined)\r\n');
      c.close();
    });
  },
};

/** A loopback port nobody listens on: bound, noted, closed. */
async function closedPort(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, () => resolve());
  });
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function startStudyWorld(opts: StudyWorldOptions): Promise<StudyWorld> {
  const world = generateWorld(opts);
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'cleancenter-world-')));
  const irc: FakeIrcServer[] = [];
  let hierarchy: Awaited<ReturnType<typeof startFakeHierarchy>> | null = null;
  const stopAll = async (): Promise<void> => {
    await Promise.all([hierarchy?.stop(), ...irc.map((s) => s.stop())]);
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    const put = async (f: WorldFile): Promise<WorldFilePath> => {
      const path = join(dir, f.name);
      await writeFile(path, f.content);
      return { path, name: f.name, ...(f.format !== undefined ? { format: f.format } : {}), ...(f.feed !== undefined ? { feed: f.feed } : {}), ...(f.snapshotDate !== undefined ? { snapshotDate: f.snapshotDate } : {}) };
    };
    const f = world.files;
    const written = {
      ccList: await put(f.ccList),
      control: await put(f.control),
      blocklists: await Promise.all(f.blocklists.map(put)),
      snapshots: await Promise.all(f.snapshots.map(put)),
      lifetimes: await Promise.all(f.lifetimes.map(put)),
      geoDb: await put(f.geoDb),
      sinkholes: await put(f.sinkholes),
    };

    hierarchy = await startFakeHierarchy({ ...world.spec, keepLog: false, ...(opts.dnsPort !== undefined ? { port: opts.dnsPort } : {}) });
    const dnsPort = hierarchy.port;

    const listeners = new Map<IrcTruth, { host: string; port: number }>();
    for (const [verdict, host] of Object.entries(IRC_HOSTS) as [Exclude<IrcTruth, 'refused'>, string][]) {
      const s = await startFakeIrcServer(IRC_SCRIPTS[verdict], { host });
      irc.push(s);
      listeners.set(verdict, { host: s.host, port: s.port });
    }
    listeners.set('refused', { host: REFUSED_HOST, port: await closedPort(REFUSED_HOST) });
    const ircTargets = new Map<string, { host: string; port: number }>();
    for (const h of Object.values(world.truth.hosts)) {
      if (h.irc === null) continue;
      const l = listeners.get(h.irc);
      if (l !== undefined) ircTargets.set(h.ip, l);
    }
    const dnsAddresses = new Map(Object.entries(world.dnsAddresses));

    const hintsText =
      `; root hints of the synthetic traceback study world (servers on loopback, port ${dnsPort})\n` +
      hierarchy.rootHints.map((h) => `.\t3600000\tNS\t${h.name}.\n${h.name}.\t3600000\tA\t${h.ip}`).join('\n') +
      '\n';
    const more = {
      rootHints: await put({ name: 'root.hints', content: hintsText }),
      ircTargets: await put({
        name: 'irc-targets.txt',
        content: `# C&C address -> IRC listener (host:port) that plays it\n${[...ircTargets].map(([ip, t]) => `${ip} ${t.host}:${t.port}`).join('\n')}\n`,
      }),
      dnsAddresses: await put({
        name: 'dns-addresses.txt',
        content: `# DNS listener (loopback) -> the server's address in the world\n${[...dnsAddresses].map(([l, ip]) => `${l} ${ip}`).join('\n')}\n`,
      }),
      truth: await put({ name: 'truth.json', content: `${JSON.stringify(world.truth, null, 1)}\n` }),
    };

    const rootHints = hierarchy.rootHints;
    return {
      dir,
      rootHints,
      dnsPort,
      ptrServer: { host: world.ptrListenIp, port: dnsPort },
      dnsAddresses,
      ircTargets,
      files: { ...written, ...more },
      truth: world.truth,
      world,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
