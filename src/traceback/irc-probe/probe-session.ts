import { parseIrcLine } from './irc-line.js';

/**
 * What the probe concluded about a server.
 * - open: the server registered us (001) without a password.
 * - password-required: 464, or an ERROR about access or a password (ngircd sends no 464 for a
 *   missing server password, only "ERROR :Access denied: Bad password?").
 * - banned: 465 or 463, or an ERROR that closes the link for a ban (K-/G-/Z-lines, "Closing Link").
 * - refused: TCP connection refused or reset, or the server turned us away for another reason
 *   (connection limits, nickname in use twice, closed before registering).
 * - timeout: no verdict within the time limit, including a connect that never completes.
 * - not-irc: the peer does not speak IRC (unparseable line, a flood, or closed without a line).
 * - unreachable: any other network error (host or network unreachable, DNS failure).
 */
export type IrcVerdict = 'open' | 'password-required' | 'banned' | 'refused' | 'timeout' | 'not-irc' | 'unreachable';

export interface SessionVerdict {
  readonly verdict: IrcVerdict;
  /** The numeric that decided it, e.g. "001", "464". */
  readonly numeric?: string;
  /** A short human reason, e.g. the ERROR text. */
  readonly detail?: string;
}

export interface SessionStep {
  /** Lines to send, without line endings. */
  readonly send: string[];
  readonly verdict?: SessionVerdict;
}

export interface SessionOptions {
  readonly nick: string;
  readonly user?: string;
  readonly realname?: string;
  /** A fallback nick for 433/432; generated when omitted. */
  readonly altNick?: string;
}

export interface ProbeSession {
  /** NICK and USER, sent as soon as the connection is up. */
  greeting(): string[];
  onLine(line: string): SessionStep;
}

/** RFC 2812 nickname characters; the check also keeps CR/LF and spaces out of the wire. */
const NICK = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/;
const WORD = /^[\x21-\x7e]{1,30}$/;
const REALNAME = /^[\x20-\x7e]{1,100}$/;

/** Throws RangeError unless `nick` is a nickname safe to put on the wire. */
export function checkNick(nick: string): string {
  if (!NICK.test(nick)) throw new RangeError(`not a valid IRC nickname: ${JSON.stringify(nick)}`);
  return nick;
}

/** A random 9-character nickname (ngircd's default NICKLEN), starting with a letter. */
export function randomNick(random: () => number = Math.random): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const chars = `${letters}0123456789`;
  let s = letters[Math.floor(random() * letters.length)] ?? 'p';
  for (let i = 0; i < 8; i++) s += chars[Math.floor(random() * chars.length)] ?? '0';
  return s;
}

// Order matters. ngircd prefixes every rejection with "Access denied:", bans included, so an
// explicit ban word wins first; "Closing Link: x (Password mismatch)" is a password and
// "Closing Link: x (Too many connections)" a capacity refusal; only the rest of "Closing Link" is
// taken as a ban.
const ERROR_RULES: readonly [RegExp, IrcVerdict][] = [
  [/banned|\b[kgzd]-?lined?\b/i, 'banned'],
  [/pass(word)?\b|passwd|access denied|not authori[sz]ed|authenticat/i, 'password-required'],
  [/too many|connection limit|limit reached|throttl|server (is )?full|try again later/i, 'refused'],
  [/closing link/i, 'banned'],
];

/** The verdict for an ERROR line received before any other verdict. */
export function classifyError(text: string): SessionVerdict {
  for (const [re, verdict] of ERROR_RULES) if (re.test(text)) return { verdict, detail: text };
  return { verdict: 'refused', detail: text };
}

/**
 * The protocol side of one probe, without sockets: it sends NICK and USER, answers PING, retries
 * once on a nickname clash, and turns the server's lines into a verdict.
 */
export function createProbeSession(opts: SessionOptions): ProbeSession {
  const nick = checkNick(opts.nick);
  const user = opts.user ?? 'probe';
  const realname = opts.realname ?? 'cleancenter research probe';
  if (!WORD.test(user) || user.includes(':')) throw new RangeError(`not a valid IRC user name: ${JSON.stringify(user)}`);
  if (!REALNAME.test(realname)) throw new RangeError(`not a valid IRC real name: ${JSON.stringify(realname)}`);
  const altNick = checkNick(opts.altNick ?? randomNick());
  let retried = false;

  return {
    greeting: () => [`NICK ${nick}`, `USER ${user} 0 * :${realname}`],
    onLine(line) {
      const msg = parseIrcLine(line);
      if (msg === null) return { send: [], verdict: { verdict: 'not-irc', detail: 'a line that is not an IRC message' } };
      switch (msg.command) {
        case 'PING': {
          // Echo the token as received; ngircd's RequireAuthPing checks it before sending 001.
          const token = msg.params[0] ?? '';
          return { send: [`PONG :${token}`] };
        }
        case '001':
          return { send: [], verdict: { verdict: 'open', numeric: '001' } };
        case '464':
          return { send: [], verdict: { verdict: 'password-required', numeric: '464', detail: msg.params.at(-1) ?? '' } };
        case '465':
        case '463':
          return { send: [], verdict: { verdict: 'banned', numeric: msg.command, detail: msg.params.at(-1) ?? '' } };
        case '432':
        case '433':
        case '436':
          if (!retried) {
            retried = true;
            return { send: [`NICK ${altNick}`] };
          }
          return { send: [], verdict: { verdict: 'refused', numeric: msg.command, detail: 'nickname refused twice' } };
        case 'ERROR':
          return { send: [], verdict: classifyError(msg.params.at(-1) ?? '') };
        default:
          return { send: [] };
      }
    },
  };
}
