import { hash } from 'node:crypto';
import type { HoneypotEvent, SampleHashes, Stage } from '../../domain/event.js';
import { truncateRaw } from '../../domain/event.js';
import type { HoneypotReader, ReadItem, ReadOptions } from '../reader.js';
import { analyseCommand, baseName } from './command-analysis.js';
import { FieldError, optionalIp, optionalPort, optionalString, requiredIp, requiredSha256, requiredString, requiredTime, show } from './field-checks.js';
import { readLines, type Line } from '../read-lines.js';
import { pushCapped, SessionTable, type SessionState } from './session-table.js';

/**
 * Cowrie's JSON log (cowrie.json: one JSON object per line), in both the 2018 field set
 * (`system`, `isError`, `unique`, `duration` in seconds) and the current one (`duplicate`,
 * `duration` as float or `duration_ms`). The stage mapping is documented in docs/event-format.md.
 */
export const cowrieReader: HoneypotReader = {
  format: 'cowrie',
  description: 'Cowrie SSH/Telnet honeypot JSON log (cowrie.json), one event per line',
  read: (path: string, options?: ReadOptions) => readCowrie(path, options ?? {}),
};

const FORMAT = 'cowrie';
const EVENTID_RE = /^cowrie\.[A-Za-z0-9_.-]{1,80}$/;
const MAX_USERNAME = 128;

type Obj = Record<string, unknown>;

async function* readCowrie(path: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const mapper = new CowrieMapper(path, options.sensor ?? 'cowrie');
  const lineOptions = options.onProgress !== undefined ? { onProgress: options.onProgress } : {};
  for await (const batch of readLines(path, lineOptions)) {
    for (const line of batch) yield mapper.map(line);
  }
}

/** Turns lines into items; holds the per-session memory that spans lines of one file. */
class CowrieMapper {
  private readonly sessions = new SessionTable();

  constructor(
    private readonly path: string,
    private readonly defaultSensor: string,
  ) {}

  map(line: Line): ReadItem {
    if (!line.ok) return this.reject(line.line, line.reason, line.raw);
    const text = line.text;
    if (text.trim() === '') return ignored('blank line');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const cut = line.terminated ? '' : ' (last line has no line end: file cut off?)';
      return this.reject(line.line, `invalid JSON: ${(e as Error).message}${cut}`, rawWithoutPassword(text));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
      return this.reject(line.line, `expected a JSON object, got ${kind}`, rawWithoutPassword(text));
    }
    const o = parsed as Obj;
    const eventid = o.eventid;
    if (typeof eventid !== 'string' || !EVENTID_RE.test(eventid)) {
      return this.reject(line.line, `eventid: expected "cowrie.<name>", got ${show(eventid)}`, rawWithoutPassword(text));
    }
    try {
      return this.mapEvent(o, eventid, line.line);
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      return this.reject(line.line, e.message, rawWithoutPassword(text));
    }
  }

  private mapEvent(o: Obj, eventid: string, line: number): ReadItem {
    switch (eventid) {
      case 'cowrie.session.connect':
        return this.connect(o, eventid, line);
      case 'cowrie.login.success':
        return this.loginSuccess(o, eventid, line);
      case 'cowrie.command.input':
        return this.commandInput(o, eventid, line);
      case 'cowrie.session.file_download':
        return this.fileArrived(o, eventid, line, 'url');
      case 'cowrie.session.file_upload':
        return this.fileArrived(o, eventid, line, 'filename');
      case 'cowrie.session.file_download.failed':
        return this.downloadFailed(o, eventid, line);
      case 'cowrie.session.closed':
        return this.closed(o, eventid, line);
      default:
        // Includes cowrie.login.failed: see docs/event-format.md for why it is not a 'connect'.
        return ignored(eventid);
    }
  }

  private connect(o: Obj, eventid: string, line: number): ReadItem {
    const c = this.common(o);
    const srcPort = optionalPort(o, 'src_port');
    if (srcPort === null) throw new FieldError('src_port: required, an integer 0-65535');
    const dstIp = optionalIp(o, 'dst_ip');
    const dstPort = optionalPort(o, 'dst_port');
    const protocol = optionalString(o, 'protocol', 32)?.toLowerCase() ?? protocolHint(o);
    const st = this.sessions.get(c.session);
    st.srcPort = srcPort;
    st.dstIp = dstIp;
    st.dstPort = dstPort;
    st.protocol = protocol;
    return this.event(o, c, st, eventid, line, 'connect', String(srcPort), { vulnerability: null, vulnerabilityRaw: null, sample: null });
  }

  private loginSuccess(o: Obj, eventid: string, line: number): ReadItem {
    const c = this.common(o);
    const username = o.username;
    if (typeof username !== 'string') throw new FieldError(`username: expected a string, got ${show(username)}`);
    const st = this.sessions.get(c.session);
    const proto = st.protocol ?? protocolHint(o);
    const prefix = proto === 'ssh' || proto === 'telnet' ? `${proto}-login` : 'login';
    // The password is deliberately dropped: the center never stores credentials.
    const vulnerabilityRaw = `${prefix}:${username.slice(0, MAX_USERNAME)}`;
    return this.event(o, c, st, eventid, line, 'exploit', digest(username), { vulnerability: 'weak-credentials', vulnerabilityRaw, sample: null });
  }

  private commandInput(o: Obj, eventid: string, line: number): ReadItem {
    const c = this.common(o);
    const input = o.input;
    if (typeof input !== 'string') throw new FieldError(`input: expected a string, got ${show(input)}`);
    const facts = analyseCommand(input);
    if (facts.fetches.length === 0 && facts.runs.length === 0) return ignored(eventid);
    const st = this.sessions.get(c.session);
    for (const f of facts.fetches) {
      if (!st.offers.some((x) => x.url === f.url)) pushCapped(st.offers, { url: f.url, name: f.name });
    }
    let ranSample: SampleHashes | null = null;
    for (const name of facts.runs) {
      const file = findFile(st, name);
      if (file !== null && ranSample === null) ranSample = file;
      else if (file === null && !st.pendingRuns.includes(name)) pushCapped(st.pendingRuns, name);
    }
    const disc = digest(input);
    if (ranSample !== null) {
      if (ranSample.sha256 !== null && !st.executed.includes(ranSample.sha256)) pushCapped(st.executed, ranSample.sha256);
      return this.event(o, c, st, eventid, line, 'execution', disc, { vulnerability: null, vulnerabilityRaw: null, sample: ranSample });
    }
    const first = facts.fetches[0];
    if (first === undefined) return ignored(eventid);
    return this.event(o, c, st, eventid, line, 'offer', disc, { vulnerability: null, vulnerabilityRaw: null, sample: urlSample(first.url) });
  }

  /** file_download (field `url`) and file_upload (field `filename`): cowrie has the file and its SHA-256. */
  private fileArrived(o: Obj, eventid: string, line: number, nameField: 'url' | 'filename'): ReadItem {
    const c = this.common(o);
    const sha256 = requiredSha256(o, 'shasum');
    const where = optionalString(o, nameField);
    const url = where !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(where) ? where : null;
    const sample: SampleHashes = { md5: null, sha1: null, sha256, url };
    const st = this.sessions.get(c.session);
    const names = new Set<string>();
    if (where !== null && baseName(where) !== '') names.add(baseName(where));
    for (const offer of st.offers) if (offer.url === where && offer.name !== null) names.add(offer.name);
    for (const name of names) {
      pushCapped(st.files, { name, sample });
      const pending = st.pendingRuns.indexOf(name);
      if (pending >= 0) {
        st.pendingRuns.splice(pending, 1);
        if (!st.executed.includes(sha256)) st.deferredExecution = sample;
      }
    }
    return this.event(o, c, st, eventid, line, 'download', sha256, { vulnerability: null, vulnerabilityRaw: null, sample });
  }

  private downloadFailed(o: Obj, eventid: string, line: number): ReadItem {
    const c = this.common(o);
    const url = requiredString(o, 'url');
    const st = this.sessions.get(c.session);
    // The command line that asked for this URL was already counted as the offer.
    if (st.offers.some((x) => x.url === url)) return ignored(eventid);
    pushCapped(st.offers, { url, name: baseName(url) || null });
    return this.event(o, c, st, eventid, line, 'offer', digest(url), { vulnerability: null, vulnerabilityRaw: null, sample: urlSample(url) });
  }

  private closed(o: Obj, eventid: string, line: number): ReadItem {
    const session = o.session;
    if (typeof session !== 'string') return ignored(eventid);
    const st = this.sessions.peek(session);
    this.sessions.delete(session);
    const sample = st?.deferredExecution ?? null;
    if (st === undefined || sample === null || (sample.sha256 !== null && st.executed.includes(sample.sha256))) return ignored(eventid);
    const c = this.common(o);
    return this.event(o, c, st, eventid, line, 'execution', `deferred:${sample.sha256 ?? ''}`, { vulnerability: null, vulnerabilityRaw: null, sample });
  }

  private common(o: Obj): Common {
    const sensor = optionalString(o, 'sensor', 256) ?? this.defaultSensor;
    return { sensor, session: requiredString(o, 'session', 256), time: requiredTime(o, 'timestamp'), srcIp: requiredIp(o, 'src_ip') };
  }

  private event(
    o: Obj,
    c: Common,
    st: SessionState,
    eventid: string,
    line: number,
    stage: Stage,
    discriminator: string,
    rest: Pick<HoneypotEvent, 'vulnerability' | 'vulnerabilityRaw' | 'sample'>,
  ): ReadItem {
    const event: HoneypotEvent = {
      key: `${c.sensor}:${c.session}:${eventid}:${c.time}:${discriminator}`,
      format: FORMAT,
      sensor: c.sensor,
      time: c.time,
      srcIp: c.srcIp,
      srcPort: st.srcPort,
      dstIp: st.dstIp,
      dstPort: st.dstPort,
      protocol: st.protocol ?? protocolHint(o),
      stage,
      ...rest,
      ref: { file: this.path, line, row: null },
    };
    return { kind: 'event', event };
  }

  private reject(line: number, reason: string, raw: string): ReadItem {
    return { kind: 'reject', reject: { format: FORMAT, source: this.path, line, row: null, reason, raw } };
  }
}

interface Common {
  readonly sensor: string;
  readonly session: string;
  readonly time: string;
  readonly srcIp: string;
}

function ignored(kind: string): ReadItem {
  return { kind: 'ignored', ignored: { kind } };
}

/** Newest file of the session saved under this name. */
function findFile(st: SessionState, name: string): SampleHashes | null {
  for (let i = st.files.length - 1; i >= 0; i--) {
    const f = st.files[i];
    if (f !== undefined && f.name === name) return f.sample;
  }
  return null;
}

function urlSample(url: string): SampleHashes {
  return { md5: null, sha1: null, sha256: null, url };
}

/** 2018 logs name the transport class in `system`; current ones only say it on session.connect. */
function protocolHint(o: Obj): string {
  const system = o.system;
  if (typeof system === 'string') {
    if (/telnet/i.test(system)) return 'telnet';
    if (/ssh/i.test(system)) return 'ssh';
  }
  return 'tcp';
}

/** A short stable digest that keeps keys small whatever the attacker typed. */
function digest(s: string): string {
  return hash('sha256', s, 'hex').slice(0, 16);
}

/**
 * A rejected line keeps its raw text for the analyst, but never a password: cowrie writes it in
 * `password` and again in `message` ("login attempt [root/secret] succeeded"). Works on text, so
 * that a line cut off mid-JSON is cleaned too.
 */
function rawWithoutPassword(text: string): string {
  const raw = truncateRaw(text);
  if (!raw.includes('"password"')) return raw;
  return raw.replace(/("(?:password|message)"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)/g, '$1"[removed]"');
}
