import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clamdInstream, createClamdScanner, type ClamdAddress } from './clamd.js';

/** What the fake server saw of one INSTREAM request. */
interface Received {
  command: string;
  chunkLengths: number[];
  body: Buffer;
  terminated: boolean;
}

/** Decodes the client side of zINSTREAM as clamd would; null until the request is complete. */
function decodeInstream(buf: Buffer): Received | null {
  const nul = buf.indexOf(0);
  if (nul < 0) return null;
  const command = buf.subarray(0, nul).toString('latin1');
  const chunkLengths: number[] = [];
  const parts: Buffer[] = [];
  let at = nul + 1;
  while (at + 4 <= buf.length) {
    const len = buf.readUInt32BE(at);
    if (len === 0) return { command, chunkLengths, body: Buffer.concat(parts), terminated: true };
    if (at + 4 + len > buf.length) return null;
    chunkLengths.push(len);
    parts.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return null;
}

type Behaviour = (sock: Socket, received: Buffer) => void;

/** A loopback server whose reply per connection is decided by the current behaviour. */
async function fakeClamd(): Promise<{ server: Server; address: ClamdAddress; set(b: Behaviour): void; last(): Received | null }> {
  let behaviour: Behaviour = () => undefined;
  let lastReceived: Received | null = null;
  const server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      lastReceived = decodeInstream(buf) ?? lastReceived;
      behaviour(sock, buf);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  assert.ok(addr && typeof addr === 'object');
  return {
    server,
    address: { host: '127.0.0.1', port: addr.port },
    set(b) {
      behaviour = b;
      lastReceived = null;
    },
    last: () => lastReceived,
  };
}

/** Replies once the whole INSTREAM request (terminator included) has arrived. */
function replyWhenComplete(reply: string, close = true): Behaviour {
  return (sock, received) => {
    const r = decodeInstream(received);
    if (r?.terminated) {
      sock.write(reply);
      if (close) sock.end();
    }
  };
}

describe('clamd client against a fake clamd', () => {
  let fake: Awaited<ReturnType<typeof fakeClamd>>;
  let dir = '';
  let file = '';
  const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  before(async () => {
    fake = await fakeClamd();
    dir = await mkdtemp(join(tmpdir(), 'cc-fakeclamd-'));
    file = join(dir, 'sample.bin');
    await writeFile(file, content);
  });
  after(async () => {
    await new Promise((resolve) => fake.server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const sample = (): { path: string; md5: null; sha1: null; sha256: null } => ({ path: file, md5: null, sha1: null, sha256: null });

  test('frames the file as zINSTREAM, chunks of at most chunkSize, zero terminator', async () => {
    fake.set(replyWhenComplete('stream: OK\0'));
    const v = await createClamdScanner({ address: fake.address, chunkSize: 300, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'unknown', v.detail ?? '');
    assert.equal(v.scanner, 'clamd');
    assert.equal(v.signature, null);
    assert.match(v.scannedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const r = fake.last();
    assert.ok(r);
    assert.equal(r.command, 'zINSTREAM');
    assert.deepEqual(r.chunkLengths, [300, 300, 300, 100]);
    assert.ok(r.body.equals(content));
  });

  test('FOUND becomes known with the signature; AllMatch signatures are comma-joined', async () => {
    fake.set(replyWhenComplete('stream: Cleancenter.Fake-1 FOUND\0'));
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000, name: 'clamd-fake' }).scan(sample());
    assert.deepEqual([v.scanner, v.verdict, v.signature], ['clamd-fake', 'known', 'Cleancenter.Fake-1']);
    fake.set(replyWhenComplete('stream: A FOUND\0stream: B FOUND\0'));
    const w = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan(sample());
    assert.deepEqual([w.verdict, w.signature], ['known', 'A,B']);
  });

  test('a server that keeps the connection open after a NUL-terminated reply still gives a verdict', async () => {
    fake.set(replyWhenComplete('stream: OK\0', false));
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'unknown', v.detail ?? '');
  });

  test('an early size-limit reply stops the upload and becomes an error verdict', async () => {
    fake.set((sock, received) => {
      if (received.length > 100 && !sock.writableEnded) {
        sock.end('INSTREAM size limit exceeded. ERROR\0');
      }
    });
    const v = await createClamdScanner({ address: fake.address, chunkSize: 64, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /size limit exceeded/);
  });

  test('a server that closes early without replying gives an error verdict', async () => {
    fake.set((sock) => sock.destroy());
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /closed without a reply|ECONNRESET|EPIPE/);
  });

  test('a server that drops the connection mid-upload gives an error verdict, not a hang', async () => {
    const big = join(dir, 'big.bin');
    await writeFile(big, Buffer.alloc(8 * 1024 * 1024, 0x42));
    fake.set((sock, received) => {
      if (received.length > 200_000) sock.destroy();
    });
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan({ path: big, md5: null, sha1: null, sha256: null });
    assert.equal(v.verdict, 'error');
    // Which of the two the client sees first depends on the kernel: a reset or an orderly close.
    assert.match(v.detail ?? '', /closed the connection during the upload, probably INSTREAM size limit exceeded|closed without a reply/);
    assert.doesNotMatch(v.detail ?? '', /timeout/);
  });

  test('a garbage reply gives an error verdict quoting it', async () => {
    fake.set((sock) => {
      if (!sock.writableEnded) sock.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /unexpected clamd reply: "HTTP\/1\.1 400 Bad Request/);
  });

  test('a reply that never ends in time is a timeout error', async () => {
    fake.set(() => undefined);
    const started = Date.now();
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 300 }).scan(sample());
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /timeout after 300 ms/);
    assert.ok(Date.now() - started < 3000);
  });

  test('an endless reply is cut off', async () => {
    fake.set((sock) => {
      if (!sock.writableEnded) sock.end(Buffer.alloc(200_000, 0x41));
    });
    const v = await createClamdScanner({ address: fake.address, timeoutMs: 5000 }).scan(sample());
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /reply longer than/);
  });

  test('ping and version answer, and degrade on garbage', async () => {
    fake.set((sock, received) => {
      const cmd = received.toString('latin1');
      if (cmd === 'zPING\0') sock.end('PONG\0');
      else if (cmd === 'zVERSION\0') sock.end('ClamAV 1.4.6/27000/Mon Jan  1 08:00:00 2024\0');
    });
    const s = createClamdScanner({ address: fake.address, timeoutMs: 5000 });
    assert.equal(await s.ping(), true);
    assert.equal(await s.version(), 'ClamAV 1.4.6/27000/Mon Jan  1 08:00:00 2024');
    fake.set((sock) => sock.end('NOPE\0'));
    assert.equal(await s.ping(), false);
    await assert.rejects(s.version(), /unexpected VERSION reply: "NOPE"/);
  });

  test('clamdInstream re-chunks an arbitrary source', async () => {
    fake.set(replyWhenComplete('stream: OK\0'));
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('abcdefghij');
      yield Buffer.alloc(0);
      yield Buffer.from('kl');
    }
    const reply = await clamdInstream(fake.address, source(), { chunkSize: 4, timeoutMs: 5000 });
    assert.equal(reply, 'stream: OK\0');
    assert.deepEqual(fake.last()?.chunkLengths, [4, 4, 2, 2]);
    assert.equal(fake.last()?.body.toString(), 'abcdefghijkl');
  });
});

describe('clamd client without a server', () => {
  test('connection refused is an error verdict, ping is false', async () => {
    // Bind then close a port so that nothing listens on it.
    const srv = createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as { port: number }).port;
    await new Promise((resolve) => srv.close(resolve));
    const s = createClamdScanner({ address: { host: '127.0.0.1', port }, timeoutMs: 2000 });
    const dir = await mkdtemp(join(tmpdir(), 'cc-noclamd-'));
    try {
      await writeFile(join(dir, 'x'), 'x');
      const v = await s.scan({ path: join(dir, 'x'), md5: null, sha1: null, sha256: null });
      assert.equal(v.verdict, 'error');
      assert.match(v.detail ?? '', /ECONNREFUSED/);
      assert.equal(await s.ping(), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing socket file is an error verdict', async () => {
    const v = await createClamdScanner({ address: { socketPath: '/nonexistent/clamd.sock' }, timeoutMs: 2000 }).scan({
      path: '/etc/hostname',
      md5: null,
      sha1: null,
      sha256: null,
    });
    assert.equal(v.verdict, 'error');
    assert.match(v.detail ?? '', /ENOENT/);
  });

  test('a hash-only sample is "binary absent" without any connection', async () => {
    const v = await createClamdScanner({ address: { host: '127.0.0.1', port: 1 } }).scan({ path: null, md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: null, sha256: null });
    assert.deepEqual([v.verdict, v.detail, v.signature], ['error', 'binary absent', null]);
  });

  test('a bad chunk size is a programming error', () => {
    assert.throws(() => createClamdScanner({ address: { host: '127.0.0.1', port: 1 }, chunkSize: 0 }), RangeError);
  });
});
