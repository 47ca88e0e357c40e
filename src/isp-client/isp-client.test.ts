import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isUserError } from '../domain/errors.js';
import { httpTransport } from './center-client.js';
import { openIspClient } from './open-client.js';
import PostalMime from 'postal-mime';
import { DAY, TOKEN, item, request, startHarness, type Harness } from './testing/harness.js';

const ids = {
  hanako: 'AAAAhanako0000000000000000', // 192.0.2.10, ja
  john: 'BBBBjohn000000000000000000', // 192.0.2.20, en, default mail unchanged
  cgnMarch: 'CCCCcgnmarch00000000000000', // 198.51.100.7 port 2050 in March: C-2002
  cgnJuly: 'DDDDcgnjuly000000000000000', // same port in July: reassigned to C-2003
  cgnLow: 'EEEEcgnlow0000000000000000', // port 1500 in March: C-2001
  unknown: 'FFFFunknown000000000000000', // 203.0.113.99: nobody
  postalOnly: 'GGGGpostal0000000000000000', // 192.0.2.30: no e-mail
};

async function seeded(extra = ''): Promise<Harness> {
  const h = await startHarness(extra);
  h.center.addRequest(
    TOKEN,
    request('req-1', [
      item(ids.hanako, '192.0.2.10', [
        { time: '2024-06-20T10:00:01Z', srcPort: 40001 },
        { time: '2024-06-21T11:00:00Z', srcPort: 40002 },
      ], { botNames: ['Demo.Bot.A', 'Demo.Worm.<b>'] }),
      item(ids.john, '192.0.2.20', Array.from({ length: 25 }, (_, i) => ({ time: `2024-06-2${i % 9}T0${i % 10}:00:00Z`, srcPort: 5000 + i }))),
      item(ids.cgnMarch, '198.51.100.7', [{ time: '2024-03-10T00:00:00Z', srcPort: 2050 }]),
      item(ids.cgnJuly, '198.51.100.7', [{ time: '2024-06-20T00:00:00Z', srcPort: 2050 }]),
      item(ids.cgnLow, '198.51.100.7', [{ time: '2024-03-10T00:00:00Z', srcPort: 1500 }]),
      item(ids.unknown, '203.0.113.99', [{ time: '2024-06-20T00:00:00Z', srcPort: 1 }]),
      item(ids.postalOnly, '192.0.2.30', [{ time: '2024-06-20T00:00:00Z', srcPort: 9 }]),
    ]),
  );
  return h;
}


/**
 * The end-to-end run is real-center.test.ts (the real center on real storage). These tests use the
 * fake center for what a real one does not do on demand: fail, hang, or send hostile data.
 */
describe('ISP client against a failing or hostile center', () => {
  test('hostile names from the center are escaped in the HTML mail', async () => {
    const h = await seeded();
    try {
      await h.client.pull();
      await h.client.answer();
      await h.client.notify({ now: true });
      const m = await PostalMime.parse(h.smtp.mails.find((x) => x.to.includes('hanako@mail.example'))?.raw ?? '');
      assert.match(m.text ?? '', /Demo\.Worm\.<b>/, 'plain text keeps the name as sent');
      assert.ok((m.html ?? '').includes('Demo.Worm.&lt;b&gt;'));
      assert.ok(!(m.html ?? '').includes('Demo.Worm.<b>'));
    } finally {
      await h.close();
    }
  });

  test('a 500 on /notices: the mail goes out once and the facts are reported on the next run', async () => {
    const h = await seeded();
    try {
      await h.client.pull();
      await h.client.answer();
      h.center.fault('/notices', 500);
      const r = await h.client.notify({ now: true });
      assert.equal(r.sent, 5);
      assert.equal(r.reported, 0);
      assert.ok(h.warnings.some((w) => /not yet reported/.test(w) && /HTTP 500/.test(w)), h.warnings.join('\n'));
      assert.equal((await h.client.status()).unreportedNotices, 5);
      assert.equal(h.center.notices.length, 0);
      h.center.fault('/notices', null);
      h.clock = new Date(h.clock.getTime() + DAY); // Thursday: no new mail, but the backlog is reported.
      const next = await h.client.notify();
      assert.equal(next.due, false);
      assert.equal(next.reported, 5);
      assert.equal(h.smtp.mails.length, 5, 'nothing sent twice');
      assert.equal(h.center.notices.length, 5);
      assert.equal((await h.client.status()).unreportedNotices, 0);
    } finally {
      await h.close();
    }
  });

  test('a 500 on /requests or /answers: a clear error, nothing half done, a later run catches up', async () => {
    const h = await seeded();
    try {
      h.center.fault('/requests', 500);
      await assert.rejects(h.client.pull(), (e) => isUserError(e) && /HTTP 500/.test(e.message));
      assert.deepEqual((await h.client.status()).items, {});
      h.center.fault('/requests', null);
      assert.equal((await h.client.pull()).items, 7);
      h.center.fault('/answers', 503);
      await assert.rejects(h.client.answer(), (e) => isUserError(e) && /HTTP 503/.test(e.message));
      assert.equal((await h.client.status()).unanswered, 7);
      assert.equal(h.center.answers.size, 0);
      h.center.fault('/answers', null);
      assert.equal((await h.client.answer()).applied, 7);
      assert.equal((await h.client.status()).unanswered, 0);
    } finally {
      await h.close();
    }
  });

  test('a center that never answers: the client gives up after its timeout with a clear error', async () => {
    const h = await seeded();
    const client = await openIspClient({ ...h.config, database: join(h.dir, 'timeout.db') }, { transport: httpTransport(h.center.url, TOKEN, 300), now: () => h.clock });
    try {
      h.center.fault('/requests', 'hang');
      const started = Date.now();
      await assert.rejects(client.pull(), (e) => isUserError(e) && /cannot be reached/.test(e.message));
      assert.ok(Date.now() - started < 5000, 'gave up by its timeout');
      assert.ok(!JSON.stringify(await client.status()).includes(TOKEN));
    } finally {
      await client.close();
      await h.close();
    }
  });
});
