import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeIrcServer } from './fake-irc-server.js';
import type { FakeIrcConnection, FakeIrcServer } from './fake-irc-server.js';
import { probeIrc } from './probe-irc.js';

const servers: FakeIrcServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function fake(script: (c: FakeIrcConnection) => void, neverClose = false): Promise<FakeIrcServer> {
  const s = await startFakeIrcServer(script, { neverClose });
  servers.push(s);
  return s;
}

/** Replies `reply` once the client has sent NICK and USER. */
function afterRegistration(c: FakeIrcConnection, reply: (c: FakeIrcConnection) => void): void {
  let replied = false;
  c.onLine(() => {
    if (!replied && c.received.some((l) => l.startsWith('NICK ')) && c.received.some((l) => l.startsWith('USER '))) {
      replied = true;
      reply(c);
    }
  });
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('probeIrc against scripted servers on loopback', () => {
  test('open: NOTICE AUTH, PING before 001 split across chunks, bare LF endings; QUIT after', async () => {
    const s = await fake((c) => {
      c.send(':irc.example NOTICE AUTH :*** Looking up your hostname...\n');
      afterRegistration(c, () => {
        c.send('PI');
        setTimeout(() => c.send('NG :tok3\r'), 20);
        setTimeout(() => c.send('\n'), 40);
      });
      c.onLine((line) => {
        if (line === 'PONG :tok3') {
          c.send(':irc.example 001 ');
          setTimeout(() => c.send('probe1 :Welcome to the Internet Relay Network probe1\n:irc.example 002 probe1 :Your host\n'), 20);
        }
        if (line.startsWith('QUIT')) c.close();
      });
    });
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000, nick: 'probe1' });
    assert.equal(r.verdict, 'open');
    assert.equal(r.numeric, '001');
    assert.deepEqual(r.evidence, [
      ':irc.example NOTICE AUTH :*** Looking up your hostname...',
      'PING :tok3',
      ':irc.example 001 probe1 :Welcome to the Internet Relay Network probe1',
    ]);
    const conn = s.connections[0];
    assert.ok(conn);
    assert.deepEqual(conn.received.slice(0, 3), ['NICK probe1', 'USER probe 0 * :cleancenter research probe', 'PONG :tok3']);
    assert.match(conn.received.at(-1) ?? '', /^QUIT/);
    assert.ok(r.elapsedMs >= 0 && r.elapsedMs < 3000);
  });

  test('433 nick in use: one retry with another nick, then open', async () => {
    const s = await fake((c) => {
      c.onLine((line) => {
        if (line === 'NICK probe1') c.send(':irc.example 433 * probe1 :Nickname already in use\r\n');
        else if (line.startsWith('NICK ')) c.send(`:irc.example 001 ${line.slice(5)} :Welcome\r\n`);
      });
    });
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000, nick: 'probe1' });
    assert.equal(r.verdict, 'open');
    assert.equal(s.connections[0]?.received.filter((l) => l.startsWith('NICK ')).length, 2);
  });

  const replies: [string, string, string | undefined][] = [
    [':irc.example 464 probe1 :Password incorrect\r\n', 'password-required', '464'],
    ['ERROR :Access denied: Bad password?\r\n', 'password-required', undefined],
    [':irc.example 465 probe1 :You are banned from this server\r\nERROR :Closing Link: 127.0.0.1 (K-lined)\r\n', 'banned', '465'],
    ['ERROR :Closing Link: 127.0.0.1 (Banned)\r\n', 'banned', undefined],
    ['ERROR :Connection refused, too many connections from your IP address\r\n', 'refused', undefined],
  ];
  for (const [reply, verdict, numeric] of replies) {
    test(`${JSON.stringify(reply.split('\r\n')[0])} -> ${verdict}`, async () => {
      const s = await fake((c) => afterRegistration(c, () => {
        c.send(reply);
        c.close();
      }));
      const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000, nick: 'probe1' });
      assert.equal(r.verdict, verdict);
      assert.equal(r.numeric, numeric);
      assert.equal(r.evidence[0], reply.split('\r\n')[0]);
    });
  }

  test('garbage (an HTTP server) -> not-irc, with the line as evidence', async () => {
    const s = await fake((c) => afterRegistration(c, () => c.send('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000 });
    assert.equal(r.verdict, 'not-irc');
    assert.deepEqual(r.evidence, ['HTTP/1.1 400 Bad Request']);
  });

  test('binary bytes are kept as escaped evidence, never thrown on', async () => {
    const s = await fake((c) => c.send(Uint8Array.from([0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x0a])));
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000 });
    assert.equal(r.verdict, 'not-irc');
    assert.equal(r.evidence[0], '\\x00\\x1b[2J\uFFFD\uFFFD');
  });

  test('a flood of valid lines is cut at maxBytes', async () => {
    const s = await fake((c) => {
      const chunk = ':irc.example NOTICE AUTH :*** spam spam spam spam spam spam spam spam\r\n'.repeat(200);
      const timer = setInterval(() => c.send(chunk), 1);
      setTimeout(() => clearInterval(timer), 2000);
    });
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000, maxBytes: 32 * 1024, maxEvidenceLines: 5 });
    assert.equal(r.verdict, 'not-irc');
    assert.match(r.detail ?? '', /bytes without a verdict/);
    assert.equal(r.evidence.length, 5);
  });

  test('one endless line -> not-irc', async () => {
    const s = await fake((c) => c.send(`:irc.example NOTICE AUTH :${'x'.repeat(20_000)}`));
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000 });
    assert.equal(r.verdict, 'not-irc');
    assert.match(r.detail ?? '', /longer/);
    assert.ok((r.evidence[0]?.length ?? 0) < 600);
  });

  test('a silent TCP server -> timeout', async () => {
    const s = await fake(() => undefined);
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 300 });
    assert.equal(r.verdict, 'timeout');
    assert.ok(r.elapsedMs >= 250, `elapsed ${r.elapsedMs}`);
    assert.deepEqual(r.evidence, []);
  });

  test('a server that never closes after 001 does not hold the probe past the grace period', async () => {
    const s = await fake((c) => afterRegistration(c, () => c.send(':irc.example 001 probe1 :Welcome\r\n')), true);
    const started = Date.now();
    const r = await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000, closeGraceMs: 200 });
    const waited = Date.now() - started;
    assert.equal(r.verdict, 'open');
    assert.ok(waited >= 180 && waited < 2000, `waited ${waited} ms`);
    assert.ok(r.elapsedMs < 180, 'elapsedMs is measured at the verdict, not after the grace');
    assert.match(s.connections[0]?.received.at(-1) ?? '', /^QUIT/);
  });

  test('closed without a line -> not-irc; closed after IRC chatter -> refused', async () => {
    const silentClose = await fake((c) => c.close());
    assert.equal((await probeIrc({ host: silentClose.host, port: silentClose.port, timeoutMs: 3000 })).verdict, 'not-irc');
    const chatty = await fake((c) => {
      c.send(':irc.example NOTICE AUTH :*** hello\r\n');
      c.close();
    });
    const r = await probeIrc({ host: chatty.host, port: chatty.port, timeoutMs: 3000 });
    assert.equal(r.verdict, 'refused');
    assert.equal(r.detail, 'closed before registering');
  });

  test('a partial last line before close is still read', async () => {
    const s = await fake((c) => afterRegistration(c, () => {
      c.send('ERROR :Access denied: Bad password?');
      c.close();
    }));
    assert.equal((await probeIrc({ host: s.host, port: s.port, timeoutMs: 3000 })).verdict, 'password-required');
  });

  test('a closed port -> refused', async () => {
    const port = await freePort();
    const r = await probeIrc({ host: '127.0.0.1', port, timeoutMs: 3000 });
    assert.equal(r.verdict, 'refused');
    assert.equal(r.detail, 'ECONNREFUSED');
  });

  test('bad options throw instead of connecting', () => {
    assert.throws(() => probeIrc({ host: '127.0.0.1', port: 0 }), RangeError);
    assert.throws(() => probeIrc({ host: '127.0.0.1', port: 6667, timeoutMs: -1 }), RangeError);
    assert.throws(() => probeIrc({ host: '127.0.0.1', port: 6667, nick: 'bad nick' }), RangeError);
  });
});
