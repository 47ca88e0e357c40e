import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subscriberKey } from './subscriber-key.js';
import { parseMail } from './testing/mime.js';
import { DAY, SECRET, TOKEN, item, request, startHarness, type Harness } from './testing/harness.js';

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

const key = (customer: string): string => subscriberKey(SECRET, customer);

describe('ISP client against a center on loopback', () => {
  test('pull resolves (IP, port, time) locally and answer uploads only keys', async () => {
    const h = await seeded();
    try {
      const pulled = await h.client.pull();
      assert.equal(pulled.items, 7);
      assert.equal(pulled.identified, 6);
      assert.equal(pulled.notFound, 1);
      assert.ok(pulled.lookupRejects.length >= 6, 'the bad fixture rows are reported');
      const answered = await h.client.answer();
      assert.equal(answered.applied, 7);
      assert.deepEqual(h.center.answers.get(ids.hanako), { result: 'identified', subscriberKey: key('C-1001') });
      assert.deepEqual(h.center.answers.get(ids.cgnMarch), { result: 'identified', subscriberKey: key('C-2002') });
      assert.deepEqual(h.center.answers.get(ids.cgnJuly), { result: 'identified', subscriberKey: key('C-2003') });
      assert.deepEqual(h.center.answers.get(ids.cgnLow), { result: 'identified', subscriberKey: key('C-2001') });
      assert.deepEqual(h.center.answers.get(ids.unknown), { result: 'not-found' });
      assert.equal(key('C-1001').length, 43);

      const uploads = h.center.received.filter((r) => r.method === 'POST');
      assert.ok(uploads.length > 0);
      const csv = readFileSync(new URL('./fixtures/subscribers.csv', import.meta.url), 'utf8');
      const secrets = csv
        .split('\n')
        .slice(1)
        .flatMap((l) => l.match(/C-\d{4}|[\w.-]+@mail\.example|山田|花子|John Example|Example Street|千代田|Sample Road|Carl Test|Bea Sample/g) ?? []);
      assert.ok(secrets.length > 10);
      for (const u of uploads) {
        for (const s of secrets) assert.ok(!u.body.includes(s), `upload to ${u.path} must not contain ${s}`);
        assert.ok(!u.body.includes(SECRET));
      }
      for (const a of JSON.parse(uploads[0]?.body ?? '{}').answers as Record<string, unknown>[]) {
        assert.deepEqual(Object.keys(a).sort(), a['result'] === 'identified' ? ['result', 'subscriberKey', 'trackingId'] : ['result', 'trackingId']);
      }
      assert.ok(h.center.received.every((r) => r.token === TOKEN));
      // Idempotent: nothing new to look up or upload.
      const again = await h.client.pull();
      assert.equal(again.requests, 0);
      assert.equal((await h.client.answer()).uploaded, 0);
    } finally {
      await h.close();
    }
  });

  test('staged weekly e-mails over real SMTP, ja and en, stop on completion, restart on reinfection', async () => {
    const h = await seeded();
    try {
      await h.client.pull();
      await h.client.answer();

      // Tuesday: not the notice day.
      h.clock = new Date('2024-07-02T01:00:00Z');
      const tuesday = await h.client.notify();
      assert.equal(tuesday.due, false);
      assert.equal(h.smtp.mails.length, 0);
      // Wednesday 09:00 in Tokyo: before the hour.
      h.clock = new Date('2024-07-03T00:00:00Z');
      assert.equal((await h.client.notify()).due, false);

      h.clock = new Date('2024-07-03T01:00:00Z');
      const week1 = await h.client.notify();
      assert.equal(week1.due, true);
      // hanako, john, the three CGN subscribers; the postal-only one has no e-mail.
      assert.equal(week1.sent, 5);
      assert.equal(week1.skipped['no e-mail address'], 1);
      assert.deepEqual(week1.byStage, { '1': 5 });
      assert.equal(h.smtp.mails.length, 5);

      // A second run the same day sends nothing more.
      const same = await h.client.notify();
      assert.equal(same.sent, 0);
      assert.equal(same.skipped['notified recently'], 5);

      for (let week = 2; week <= 3; week++) {
        h.clock = new Date(h.clock.getTime() + 7 * DAY);
        assert.equal((await h.client.notify()).sent, 5);
      }
      const mailsTo = (addr: string) => h.smtp.mails.filter((m) => m.to.includes(addr)).map((m) => parseMail(m.raw));
      const ja = mailsTo('hanako@mail.example');
      const en = mailsTo('john@mail.example');
      assert.equal(ja.length, 3);
      assert.equal(en.length, 3);

      const ticket = `CC-${ids.hanako.slice(0, 4).toUpperCase()}-Q2`;
      const jaExpect = [/おそれがあります/, /駆除をお願いします/, /【重要・至急】/];
      ja.forEach((m, i) => {
        const subject = m.headers.get('subject') ?? '';
        assert.match(subject, jaExpect[i] as RegExp, `ja stage ${i + 1} subject`);
        assert.match(subject, /Example Net/);
        const text = m.text ?? '';
        assert.match(text, /山田 花子 様/);
        assert.match(text, /2024年6月20日〜2024年6月21日、2回/);
        assert.match(text, /Demo\.Bot\.A、Demo\.Worm\.<b>/);
        assert.ok(text.includes(`https://center.example/t/${ids.hanako}`), 'tracking link');
        assert.ok(text.includes(`https://center.example/check?ticket=${ticket}`), 'check link');
        assert.match(text, /料金のお支払いを求めることは決してありません/);
        assert.match(text, /パスワード/);
        assert.match(text, /駆除ツール/);
        assert.match(text, /観測の記録/);
        if (i === 2) assert.match(text, /これまで2回お知らせしました/);
        const html = m.html ?? '';
        assert.ok(html.includes('Demo.Worm.&lt;b&gt;'), 'html escapes center data');
        assert.ok(!html.includes('Demo.Worm.<b>'));
        assert.ok(html.includes(`<a href="https://center.example/t/${ids.hanako}">`));
        assert.equal(m.headers.get('content-language'), 'ja');
      });
      const enExpect = [/may be infected/, /Please remove the bot/, /URGENT/];
      en.forEach((m, i) => {
        assert.match(m.headers.get('subject') ?? '', enExpect[i] as RegExp, `en stage ${i + 1} subject`);
        const text = m.text ?? '';
        assert.match(text, /Dear John Example,/);
        assert.match(text, /25 attacks/);
        assert.match(text, /never asks you to pay/);
        assert.match(text, /never asks for a password/);
        assert.match(text, /check\?ticket=CC-BBBB-Q2/);
        assert.match(text, /Free cleaning tool/);
        assert.match(text, /observation history/);
      });

      // The center got facts only: one per incident per notice, with the stage.
      assert.equal(h.center.notices.length, 15);
      assert.deepEqual(h.center.notices.filter((n) => n.trackingId === ids.hanako).map((n) => n.stage), [1, 2, 3]);
      assert.ok(h.center.notices.every((n) => n.channel === 'email'));
      const noticeBodies = h.center.received.filter((r) => r.path.endsWith('/notices')).map((r) => r.body).join('');
      assert.ok(!noticeBodies.includes('mail.example') && !noticeBodies.includes('山田'));

      // Completion stops hanako's notices.
      h.center.setActivity(TOKEN, ids.hanako, { state: 'completed', visitedAt: '2024-07-18T00:00:00Z', completedAt: '2024-07-18T01:00:00Z' });
      h.clock = new Date(h.clock.getTime() + 7 * DAY);
      const afterDone = await h.client.notify();
      assert.equal(afterDone.sent, 4);
      assert.equal(mailsTo('hanako@mail.example').length, 3);

      // Reinfection starts them again, at the next stage.
      h.center.setActivity(TOKEN, ids.hanako, { state: 'reinfected', reinfected: true });
      h.clock = new Date(h.clock.getTime() + 7 * DAY);
      await h.client.notify();
      const again = mailsTo('hanako@mail.example');
      assert.equal(again.length, 4);
      assert.match(again[3]?.headers.get('subject') ?? '', /至急/);
    } finally {
      await h.close();
    }
  });

  test('a new incident for a completed subscriber (reinfection as a new episode) restarts notices', async () => {
    const h = await seeded();
    try {
      await h.client.pull();
      await h.client.answer();
      await h.client.notify({ now: true });
      const before = h.smtp.mails.filter((m) => m.to.includes('john@mail.example')).length;
      h.center.setActivity(TOKEN, ids.john, { state: 'completed', completedAt: '2024-07-04T00:00:00Z' });
      h.clock = new Date(h.clock.getTime() + 7 * DAY);
      await h.client.notify();
      assert.equal(h.smtp.mails.filter((m) => m.to.includes('john@mail.example')).length, before);
      h.center.addRequest(TOKEN, request('req-2', [item('HHHHjohnagain0000000000000', '192.0.2.20', [{ time: '2024-07-08T00:00:00Z', srcPort: 7000 }])]));
      await h.client.pull();
      await h.client.answer();
      h.clock = new Date(h.clock.getTime() + 7 * DAY);
      await h.client.notify();
      const johns = h.smtp.mails.filter((m) => m.to.includes('john@mail.example')).map((m) => parseMail(m.raw));
      assert.equal(johns.length, before + 1);
      assert.match(johns.at(-1)?.text ?? '', /HHHHjohnagain/);
      assert.doesNotMatch(johns.at(-1)?.text ?? '', new RegExp(ids.john));
    } finally {
      await h.close();
    }
  });

  test('dry run sends and records nothing', async () => {
    const h = await seeded();
    try {
      await h.client.pull();
      const r = await h.client.notify({ now: true, dryRun: true });
      assert.equal(r.sent, 0);
      assert.equal(r.preview.length, 5);
      assert.equal(h.smtp.mails.length, 0);
      assert.equal(h.center.notices.length, 0);
      assert.deepEqual((await h.client.status()).notices, []);
    } finally {
      await h.close();
    }
  });

  test('DKIM-signs when configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const h = await seeded(`  dkim:\n    domainName: isp.example\n    keySelector: cc2024\n    privateKeyFile: KEYFILE\n`);
    try {
      // The config names the file relative to the config folder; the mailer reads it on first use.
      assert.equal(h.config.smtp?.dkim?.privateKeyFile, join(h.dir, 'KEYFILE'));
      writeFileSync(join(h.dir, 'KEYFILE'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await h.client.pull();
      await h.client.notify({ now: true });
      assert.ok(h.smtp.mails.length > 0);
      for (const m of h.smtp.mails) {
        const sig = parseMail(m.raw).headers.get('dkim-signature') ?? '';
        assert.match(sig, /d=isp\.example/);
        assert.match(sig, /s=cc2024/);
        assert.match(sig, /a=rsa-sha256/);
        assert.match(sig, /bh=[A-Za-z0-9+/=]{40,}/);
      }
    } finally {
      await h.close();
    }
  });
});
