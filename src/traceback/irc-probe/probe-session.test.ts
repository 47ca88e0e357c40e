import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseIrcLine } from './irc-line.js';
import { checkNick, classifyError, createProbeSession, randomNick } from './probe-session.js';

describe('parseIrcLine', () => {
  test('prefix, numeric, middle and trailing parameters', () => {
    assert.deepEqual(parseIrcLine(':open.test.invalid 001 probe1 :Welcome to the Internet Relay Network probe1!~probe@127.0.0.1'), {
      prefix: 'open.test.invalid',
      command: '001',
      params: ['probe1', 'Welcome to the Internet Relay Network probe1!~probe@127.0.0.1'],
    });
  });

  test('server commands without a prefix, IRCv3 tags, extra spaces', () => {
    assert.deepEqual(parseIrcLine('PING :12345'), { prefix: null, command: 'PING', params: ['12345'] });
    assert.deepEqual(parseIrcLine('NOTICE AUTH :*** Looking up your hostname...'), {
      prefix: null, command: 'NOTICE', params: ['AUTH', '*** Looking up your hostname...'],
    });
    assert.deepEqual(parseIrcLine('@time=2024-01-01T00:00:00Z :irc.example  notice  *  :hi'), {
      prefix: 'irc.example', command: 'NOTICE', params: ['*', 'hi'],
    });
  });

  test('things that are not IRC', () => {
    for (const line of ['HTTP/1.1 400 Bad Request', 'SSH-2.0-OpenSSH_9.2', '220 mail.example ESMTP', '+OK POP3 ready', ':', ': 001 x', ':srv 1234 x', '@tagsonly', '\u0000\u0001binary']) {
      assert.equal(parseIrcLine(line), null, line);
    }
  });
});

describe('probe session', () => {
  const session = () => createProbeSession({ nick: 'probe1', altNick: 'probe2' });

  test('greets with NICK and USER', () => {
    assert.deepEqual(session().greeting(), ['NICK probe1', 'USER probe 0 * :cleancenter research probe']);
  });

  test('answers PING with its token, with or without a colon, and gives no verdict', () => {
    const s = session();
    assert.deepEqual(s.onLine('PING :abc123'), { send: ['PONG :abc123'] });
    assert.deepEqual(s.onLine('PING abc123'), { send: ['PONG :abc123'] });
    assert.deepEqual(s.onLine(':srv.example PING :tok'), { send: ['PONG :tok'] });
  });

  test('NOTICE AUTH and other pre-registration chatter is ignored', () => {
    const s = session();
    assert.deepEqual(s.onLine(':irc.example NOTICE AUTH :*** Looking up your hostname...'), { send: [] });
    assert.deepEqual(s.onLine(':irc.example 020 * :Please wait while we process your connection.'), { send: [] });
  });

  test('001 is open, 464 password, 465 and 463 banned', () => {
    assert.deepEqual(session().onLine(':srv.example 001 probe1 :Welcome').verdict, { verdict: 'open', numeric: '001' });
    assert.deepEqual(session().onLine(':srv.example 464 probe1 :Password incorrect').verdict, {
      verdict: 'password-required', numeric: '464', detail: 'Password incorrect',
    });
    assert.equal(session().onLine(':srv.example 465 probe1 :You are banned from this server').verdict?.verdict, 'banned');
    assert.equal(session().onLine(':srv.example 463 * :Your host isn\'t among the privileged').verdict?.verdict, 'banned');
  });

  test('433 retries once with the other nick, a second 433 is a refusal', () => {
    const s = session();
    assert.deepEqual(s.onLine(':srv.example 433 * probe1 :Nickname already in use'), { send: ['NICK probe2'] });
    assert.deepEqual(s.onLine(':srv.example 433 * probe2 :Nickname already in use').verdict, {
      verdict: 'refused', numeric: '433', detail: 'nickname refused twice',
    });
  });

  test('a line that is not IRC ends the probe as not-irc', () => {
    assert.equal(session().onLine('HTTP/1.1 400 Bad Request').verdict?.verdict, 'not-irc');
  });

  test('ERROR texts: ngircd password, bans, Closing Link, limits', () => {
    const cases: [string, string][] = [
      ['Access denied: Bad password?', 'password-required'], // ngircd 26.1 transcript
      ['Closing connection: probe1[~probe@127.0.0.1] (Access denied: Bad password?)', 'password-required'], // ngircd rel-28 form
      ['Closing Link: 192.0.2.1 (Password mismatch)', 'password-required'],
      ['Closing Link: 192.0.2.1 (K-lined)', 'banned'],
      ['Access denied: You are banned from this server', 'banned'],
      ['Closing Link: probe1[192.0.2.1] (Registration timed out)', 'banned'],
      ['Connection refused, too many connections from your IP address', 'refused'],
      ['Closing Link: 192.0.2.1 (Too many connections)', 'refused'],
      ['Connection limit reached', 'refused'],
      ['Something else entirely', 'refused'],
    ];
    for (const [text, verdict] of cases) {
      assert.equal(classifyError(text).verdict, verdict, text);
      assert.equal(session().onLine(`ERROR :${text}`).verdict?.verdict, verdict, text);
    }
  });

  test('nicks, user names and real names that could inject lines are refused', () => {
    assert.throws(() => createProbeSession({ nick: 'a\r\nQUIT' }), RangeError);
    assert.throws(() => createProbeSession({ nick: 'has space' }), RangeError);
    assert.throws(() => createProbeSession({ nick: '1digit' }), RangeError);
    assert.throws(() => createProbeSession({ nick: 'ok', user: 'a b' }), RangeError);
    assert.throws(() => createProbeSession({ nick: 'ok', realname: 'x\ny' }), RangeError);
    assert.equal(checkNick('probe_[1]'), 'probe_[1]');
  });

  test('random nicks are valid 9-character nicknames', () => {
    for (let i = 0; i < 50; i++) assert.match(checkNick(randomNick()), /^[a-z][a-z0-9]{8}$/);
    assert.equal(randomNick(() => 0), 'aaaaaaaaa');
    assert.equal(randomNick(() => 0.9999), 'z99999999');
  });
});
