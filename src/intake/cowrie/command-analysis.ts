/**
 * Reads an attacker's shell input the way cowrie logs it (cowrie.command.input) and finds the two
 * things the clean-center workflow cares about: a URL that a bot binary is fetched from (an offer)
 * and the names of files that the input runs (execution evidence). A heuristic, not a shell: it
 * splits on command separators and looks at the first words of each simple command.
 */

/** What one input line offers and runs. */
export interface CommandFacts {
  /** Fetches in order of appearance: the URL and the local file name it is saved under. */
  readonly fetches: readonly Fetch[];
  /** Base names of files the input executes (./x, /tmp/x, sh x.sh, perl x, busybox sh x). */
  readonly runs: readonly string[];
}

export interface Fetch {
  readonly url: string;
  /** Local base name: -O/-o argument, else the last path segment of the URL; null when unknown. */
  readonly name: string | null;
}

// Longer input is analysed only up to here: a real download one-liner is far shorter.
const MAX_ANALYSED = 64 * 1024;
const MAX_ITEMS = 8;
const FETCHERS = new Set(['wget', 'curl', 'tftp', 'ftpget', 'dget', 'fetch', 'lwp-download']);
const INTERPRETERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'csh', 'tcsh', 'perl', 'python', 'python2', 'python3', 'php', 'ruby', 'source', '.']);
// Words that run the command that follows them.
const WRAPPERS = new Set(['nohup', 'sudo', 'exec', 'nice', 'setsid', 'command', 'time', 'env']);
const URL_RE = /\b(?:https?|ftp|tftp):\/\/[^\s'"`;|&<>()]+/i;

export function analyseCommand(input: string): CommandFacts {
  const text = input.length > MAX_ANALYSED ? input.slice(0, MAX_ANALYSED) : input;
  const fetches: Fetch[] = [];
  const runs: string[] = [];
  // The capture group keeps the separators, so a pipe into a shell can be seen.
  const pieces = text.split(/(;|&&|\|\||\||&|\n|\r|`|\$\()/);
  let previous: Fetch | null = null;
  for (let i = 0; i < pieces.length; i += 2) {
    const words = unwrap(tokenize(pieces[i] ?? ''));
    const pipedFrom = pieces[i - 1] === '|' ? previous : null;
    previous = null;
    const first = words[0];
    if (first === undefined) continue;
    const cmd = baseName(first);
    const fetch = FETCHERS.has(cmd) ? fetchOf(cmd, words.slice(1)) : null;
    if (fetch !== null && fetches.length < MAX_ITEMS) fetches.push(fetch);
    previous = fetch;
    // `wget -O- URL | sh` runs what it fetched without ever naming a file.
    const ran = fetch !== null ? null : pipedFrom !== null && isBareInterpreter(words) ? baseName(pipedFrom.url) || null : runOf(words);
    if (ran !== null && runs.length < MAX_ITEMS && !runs.includes(ran)) runs.push(ran);
  }
  return { fetches, runs };
}

/** The last path segment of a URL or path, without query; null for an empty one. */
export function baseName(pathOrUrl: string): string {
  const noQuery = pathOrUrl.replace(/[?#].*$/, '');
  const afterScheme = noQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const parts = afterScheme.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    if (p !== undefined && p !== '' && p !== '.') return p;
  }
  return '';
}

function tokenize(simple: string): string[] {
  const out: string[] = [];
  for (const raw of simple.trim().split(/\s+/)) {
    if (raw === '') continue;
    out.push(raw.replace(/^['"]|['"]$/g, ''));
  }
  return out;
}

/** Drops leading wrappers, VAR=value assignments and `busybox` so that words[0] is the real command. */
function unwrap(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? '';
    const b = baseName(w);
    if (WRAPPERS.has(b) || b === 'busybox' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (b === 'timeout' && /^\d/.test(words[i + 1] ?? '')) i += 2;
    else break;
  }
  return i === 0 ? words : words.slice(i);
}

function fetchOf(cmd: string, args: string[]): Fetch | null {
  if (cmd === 'tftp') return tftpFetch(args);
  if (cmd === 'ftpget') return ftpgetFetch(args);
  let url: string | null = null;
  let name: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (/^-[Oo]./.test(a)) {
      name = baseName(a.slice(2));
    } else if ((a === '-O' || a === '-o' || a === '--output' || a === '--output-document') && i + 1 < args.length) {
      name = baseName(args[++i] ?? '');
    } else if (/^--output(?:-document)?=/.test(a)) {
      name = baseName(a.slice(a.indexOf('=') + 1));
    } else if (url === null) {
      url = URL_RE.exec(a)?.[0] ?? null;
      // wget and curl also take a bare host/path; a scheme-less word with a slash counts as http.
      if (url === null && !a.startsWith('-') && /^[a-z0-9.-]+\.[a-z0-9-]+(?::\d+)?\/\S*$/i.test(a)) url = `http://${a}`;
    }
  }
  if (url === null) return null;
  if (name === '-' || name === '') name = null;
  return { url, name: name ?? (baseName(url) || null) };
}

/** busybox tftp: `tftp -g -r remote [-l local] host [port]`, or tftp-hpa `tftp host -c get remote [local]`. */
function tftpFetch(args: string[]): Fetch | null {
  let remote: string | null = null;
  let local: string | null = null;
  let host: string | null = null;
  let port: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-r') remote = args[++i] ?? null;
    else if (a === '-l') local = args[++i] ?? null;
    else if (a === '-c') {
      if ((args[i + 1] ?? '') === 'get') i++;
      remote = args[++i] ?? null;
      local = args[i + 1] ?? local;
      break;
    } else if (a.startsWith('-')) continue;
    else if (host === null) host = a;
    else if (port === null && /^\d+$/.test(a)) port = a;
  }
  if (host === null || remote === null) return null;
  const url = `tftp://${host}${port !== null ? `:${port}` : ''}/${remote.replace(/^\/+/, '')}`;
  return { url, name: baseName(local ?? remote) || null };
}

/** busybox ftpget: `ftpget [-v -u user -p pass -P port] host local_file [remote_file]`. */
function ftpgetFetch(args: string[]): Fetch | null {
  const positional: string[] = [];
  let port: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-u' || a === '-p') i++;
    else if (a === '-P') port = args[++i] ?? null;
    else if (!a.startsWith('-')) positional.push(a);
  }
  const [host, local, remote] = positional;
  if (host === undefined || local === undefined) return null;
  const path = (remote ?? local).replace(/^\/+/, '');
  return { url: `ftp://${host}${port !== null ? `:${port}` : ''}/${path}`, name: baseName(local) || null };
}

function isBareInterpreter(words: string[]): boolean {
  const cmd = baseName(words[0] ?? '');
  return INTERPRETERS.has(cmd) && words.slice(1).every((w) => w.startsWith('-'));
}

/** The base name of the file a simple command runs, or null. Bare words (`x`) are not runs: PATH lookup would not find a fresh download. */
function runOf(words: string[]): string | null {
  const first = words[0] ?? '';
  const cmd = baseName(first);
  if (INTERPRETERS.has(cmd) || INTERPRETERS.has(first)) {
    const script = words.slice(1).find((w) => !w.startsWith('-'));
    return script !== undefined && script !== '' ? baseName(script) || null : null;
  }
  if (first.includes('/') && !first.endsWith('/')) return cmd || null;
  return null;
}
