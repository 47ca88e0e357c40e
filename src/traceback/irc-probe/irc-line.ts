/** One IRC message from a server, split as RFC 1459 §2.3.1 / RFC 2812 §2.3.1 describe it. */
export interface IrcMessage {
  readonly prefix: string | null;
  /** Upper-cased command word, or the three-digit numeric. */
  readonly command: string;
  readonly params: string[];
}

/**
 * Commands a server may send before registration without a ":server" prefix. Anything else
 * without a prefix — above all a bare numeric like an SMTP "220 mail.example ESMTP" banner — is
 * not taken as IRC.
 */
const UNPREFIXED = new Set(['PING', 'PONG', 'ERROR', 'NOTICE', 'CAP', 'AUTHENTICATE']);

/**
 * Parses one line (without its line ending), or returns null when it cannot be an IRC message
 * from a server. IRCv3 message tags ("@a=b ") are skipped.
 */
export function parseIrcLine(line: string): IrcMessage | null {
  let rest = line;
  if (rest.startsWith('@')) {
    const sp = rest.indexOf(' ');
    if (sp < 0) return null;
    rest = rest.slice(sp + 1).replace(/^ +/, '');
  }
  let prefix: string | null = null;
  if (rest.startsWith(':')) {
    const sp = rest.indexOf(' ');
    if (sp <= 1) return null;
    prefix = rest.slice(1, sp);
    rest = rest.slice(sp + 1).replace(/^ +/, '');
  }
  const m = /^([A-Za-z]+|[0-9]{3})(?: +(.*))?$/.exec(rest);
  if (m === null) return null;
  const command = (m[1] ?? '').toUpperCase();
  if (prefix === null && !UNPREFIXED.has(command)) return null;
  const params: string[] = [];
  let tail = m[2] ?? '';
  while (tail !== '') {
    if (tail.startsWith(':')) {
      params.push(tail.slice(1));
      break;
    }
    const sp = tail.indexOf(' ');
    if (sp < 0) {
      params.push(tail);
      break;
    }
    params.push(tail.slice(0, sp));
    tail = tail.slice(sp + 1).replace(/^ +/, '');
  }
  return { prefix, command, params };
}
