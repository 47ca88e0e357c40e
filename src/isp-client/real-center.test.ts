import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import { sql } from 'kysely';
import { dialectTest } from '../testing/databases.js';
import type { Storage } from '../storage/schema.js';
import * as workflow from '../workflow/index.js';
import { parseIspClientConfig } from './config.js';
import { openIspClient } from './open-client.js';
import { subscriberKey } from './subscriber-key.js';
import { FIXTURE_CSV, SECRET, testClientYaml } from './testing/harness.js';
import { CENTER_PUBLIC_URL, startRealCenter } from './testing/real-center.js';
import { event, insertEvents } from '../workflow/test-support.js';
import { startSmtpSink, type ReceivedMail } from './testing/smtp-sink.js';

const DAY = 86_400_000;
const key = (customer: string): string => subscriberKey(SECRET, customer);

/** Everything the subscriber file knows that the center must never learn. */
const SUBSCRIBER_FACTS = readFileSync(FIXTURE_CSV, 'utf8')
  .split('\n')
  .slice(1)
  .flatMap((l) => l.match(/C-\d{4}|[\w.-]+@mail\.example|山田|花子|John Example|Example Street|千代田|Sample Road|Carl Test|Bea Sample/g) ?? []);

/** Every row of the center's workflow tables as one text, to look for subscriber data in. */
async function centerDump(storage: Storage): Promise<string> {
  const out: unknown[] = [];
  for (const t of ['incidents', 'answers', 'answer_uploads', 'notices', 'incident_state_log', 'audit_log', 'request_items', 'identification_requests', 'checklist_answers']) {
    out.push(...(await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(storage.db)).rows);
  }
  return JSON.stringify(out);
}

/** The center's notice counts (its own figures) as channel → stage → count. */
async function noticesByStage(storage: Storage): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const n of (await workflow.workflowFigures(storage, {})).notices) (out[n.channel] ??= {})[String(n.stage)] = n.count;
  return out;
}

const header = (m: Email, name: string): string => m.headers.find((h) => h.key === name)?.value ?? '';

/**
 * A DKIM-Signature checked the way a receiver does (RFC 6376, relaxed/relaxed): the body hash,
 * and the RSA signature over the signed headers with the public key.
 */
function dkimValid(raw: string, publicKeyPem: string): boolean {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const lines = head.split(/\r\n(?![ \t])/);
  const relaxedHeader = (line: string): string => {
    const c = line.indexOf(':');
    return `${line.slice(0, c).toLowerCase().trim()}:${line.slice(c + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
  };
  const sigLine = lines.find((l) => /^dkim-signature:/i.test(l));
  if (sigLine === undefined) return false;
  const tags = new Map(relaxedHeader(sigLine).slice('dkim-signature:'.length).split(';').map((t) => {
    const i = t.indexOf('=');
    return [t.slice(0, i).trim(), t.slice(i + 1).replace(/\s+/g, '')] as const;
  }));
  let canonBody = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, '')).join('\r\n').replace(/(\r\n)*$/, '');
  canonBody = canonBody === '' ? '' : `${canonBody}\r\n`;
  if (createHash('sha256').update(canonBody).digest('base64') !== tags.get('bh')) return false;
  const signed = (tags.get('h') ?? '').split(':').map((name) => {
    const l = [...lines].reverse().find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return l === undefined ? '' : `${relaxedHeader(l)}\r\n`;
  });
  // The signature's own b= value is signed as empty.
  const unsigned = relaxedHeader(sigLine).replace(/([;:] ?)b=[^;]*/, '$1b=');
  const data = signed.join('') + unsigned;
  return verify('sha256', Buffer.from(data), createPublicKey(publicKeyPem), Buffer.from(tags.get('b') ?? '', 'base64'));
}

dialectTest('ISP client against the real center on loopback: pull, answer, staged e-mail over SMTP (ja, en, DKIM), completion, letters', async (_t, storage) => {
  const center = await startRealCenter(storage);
  const smtp = await startSmtpSink();
  const dir = mkdtempSync(join(tmpdir(), 'cc-isp-real-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const yaml = testClientYaml(center.url, CENTER_PUBLIC_URL, smtp, `  dkim:
    domainName: isp.example
    keySelector: cc2024
    privateKeyFile: dkim.pem
letters:
  manyAttacks: 100
  manyAttacksDefaultMail: 20
  noReactionAfterEmails: 2
`);
  const file = join(dir, 'isp-client.yaml');
  writeFileSync(file, yaml);
  const config = parseIspClientConfig(yaml, 'isp-client.yaml', file, { CLEANCENTER_ISP_TOKEN: center.token });
  let clock = new Date('2024-07-03T01:00:00Z'); // Wednesday 10:00 in Tokyo
  const warnings: string[] = [];
  const client = await openIspClient(config, { now: () => clock, warn: (m) => warnings.push(m) });
  const { ids } = center;
  try {
    // Pull: the (IP, port, time) of every observation is resolved locally; CGN picks the lease.
    const pulled = await client.pull();
    assert.equal(pulled.requests, 1);
    assert.equal(pulled.items, 6, 'only Example Net’s incidents');
    assert.equal(pulled.identified, 5);
    assert.equal(pulled.notFound, 1);

    const answered = await client.answer();
    assert.equal(answered.applied, 6);
    const expectKeys: Record<string, string> = { hanako: key('C-1001'), john: key('C-1002'), cgnMarch: key('C-2002'), cgnJuly: key('C-2003'), postalOnly: key('C-1003') };
    for (const [who, k] of Object.entries(expectKeys)) {
      const inc = await workflow.incidentByTrackingId(storage, ids[who as keyof typeof ids]);
      assert.equal(inc?.state, 'identified', who);
      assert.equal(inc?.subscriberKey, k, `${who}'s opaque key`);
    }
    assert.equal((await workflow.incidentByTrackingId(storage, ids.unknown))?.state, 'not-found');
    assert.equal((await workflow.incidentByTrackingId(storage, center.otherTrackingId))?.state, 'requested', 'the other ISP is untouched');

    // Nothing new: a second pull finds no request, a second answer run uploads nothing.
    assert.equal((await client.pull()).requests, 0);
    assert.equal((await client.answer()).uploaded, 0);

    // A dry run plans and renders, and neither sends nor tells the center.
    const dry = await client.notify({ now: true, dryRun: true });
    assert.equal(dry.sent, 0);
    assert.equal(dry.preview.length, 4);
    assert.equal(smtp.mails.length, 0);
    assert.deepEqual(await noticesByStage(storage), {});
    // Tuesday is not the notice day.
    clock = new Date('2024-07-02T01:00:00Z');
    assert.equal((await client.notify()).due, false);
    clock = new Date('2024-07-03T01:00:00Z');

    // Three weekly runs: stage 1 informs, 2 asks, 3 is urgent.
    for (let week = 1; week <= 3; week++) {
      if (week > 1) clock = new Date(clock.getTime() + 7 * DAY);
      const r = await client.notify();
      assert.equal(r.due, true);
      assert.equal(r.sent, 4, `week ${week}: four subscribers with e-mail`);
      assert.deepEqual(r.byStage, { [String(week === 3 ? '3+' : week)]: 4 });
      assert.equal(r.skipped['no e-mail address'], 1);
      assert.equal(r.reported, 4);
      if (week === 1) {
        const same = await client.notify();
        assert.equal(same.sent, 0);
        assert.equal(same.skipped['notified recently'], 4, 'one notice a week');
      }
    }
    assert.equal(smtp.mails.length, 12);
    const parsed = await Promise.all(smtp.mails.map(async (m: ReceivedMail) => ({ to: m.to, raw: m.raw, mail: await PostalMime.parse(m.raw) })));
    const to = (addr: string) => parsed.filter((p) => p.to.includes(addr));
    const ticketOf = async (id: string): Promise<string> => (await workflow.incidentByTrackingId(storage, id))?.ticket ?? '';

    const ja = to('hanako@mail.example');
    assert.equal(ja.length, 3);
    const jaSubjects = [/おそれがあります/, /駆除をお願いします/, /【重要・至急】/];
    const hanakoTicket = await ticketOf(ids.hanako);
    ja.forEach(({ mail: m }, i) => {
      assert.match(m.subject ?? '', jaSubjects[i] as RegExp, `ja stage ${i + 1} subject`);
      assert.match(m.subject ?? '', /Example Net/);
      const text = m.text ?? '';
      assert.match(text, /山田 花子 様/);
      assert.match(text, /2024年6月20日〜2024年6月21日、2回/);
      assert.ok(text.includes(`${CENTER_PUBLIC_URL}/t/${ids.hanako}`), 'tracking link to the real incident');
      assert.ok(text.includes(`${CENTER_PUBLIC_URL}/check?ticket=${hanakoTicket}`), 'check link with the real ticket');
      assert.match(text, /料金のお支払いを求めることは決してありません/);
      assert.match(text, /パスワード/);
      assert.match(text, /駆除ツール/);
      assert.match(text, /観測の記録/);
      assert.match(text, /sha256:aaaaaaaaaaaa/, 'the bot name the center derived from the sample');
      if (i === 2) assert.match(text, /これまで2回お知らせしました/);
      assert.ok((m.html ?? '').includes(`<a href="${CENTER_PUBLIC_URL}/t/${ids.hanako}">`));
      assert.equal(header(m, 'content-language'), 'ja');
    });
    const en = to('john@mail.example');
    assert.equal(en.length, 3);
    const enSubjects = [/may be infected/, /Please remove the bot/, /URGENT/];
    const johnTicket = await ticketOf(ids.john);
    en.forEach(({ mail: m }, i) => {
      assert.match(m.subject ?? '', enSubjects[i] as RegExp, `en stage ${i + 1} subject`);
      const text = m.text ?? '';
      assert.match(text, /Dear John Example,/);
      assert.match(text, /25 attacks/);
      assert.match(text, /never asks you to pay/);
      assert.match(text, /never asks for a password/);
      assert.ok(text.includes(`check?ticket=${johnTicket}`));
      assert.ok(text.includes(`${CENTER_PUBLIC_URL}/t/${ids.john}`));
      assert.match(text, /Free cleaning tool/);
      assert.match(text, /observation history/);
      assert.equal(header(m, 'content-language'), 'en');
    });
    // The CGN port was two subscribers: each got the notice of its own episode only.
    assert.ok(to('cgn-b@mail.example').every((p) => (p.mail.text ?? '').includes(ids.cgnMarch) && !(p.mail.text ?? '').includes(ids.cgnJuly)));
    assert.ok(to('cgn-c@mail.example').every((p) => (p.mail.text ?? '').includes(ids.cgnJuly) && !(p.mail.text ?? '').includes(ids.cgnMarch)));
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const p of parsed) {
      const sig = header(p.mail, 'dkim-signature');
      assert.match(sig, /d=isp\.example/);
      assert.match(sig, /s=cc2024/);
      assert.ok(dkimValid(p.raw, pem), 'the DKIM signature verifies');
    }
    assert.ok(!dkimValid(parsed[0]!.raw.replace('Example Net', 'Exampl3 Net'), pem), 'a changed message fails the DKIM check');

    // The center recorded notices as facts, by stage; the incidents moved to notified, stage 3.
    assert.deepEqual(await noticesByStage(storage), { email: { '1': 4, '2': 4, '3': 4 } });
    for (const who of ['hanako', 'john', 'cgnMarch', 'cgnJuly'] as const) {
      const inc = await workflow.incidentByTrackingId(storage, ids[who]);
      assert.equal(inc?.state, 'notified', who);
      assert.equal(inc?.noticeStage, 3, who);
    }

    // Hanako follows the link and sends the checklist on the real site.
    assert.equal((await fetch(`${center.url}/t/${ids.hanako}`)).status, 200);
    const done = await fetch(`${center.url}/t/${ids.hanako}/checklist`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'q1=yes&q2=yes&q3=no&q4=unknown&q5=yes',
    });
    assert.equal(done.status, 200);
    const activity = (await (await fetch(`${center.url}/api/isp/v1/activity`, { headers: { authorization: `Bearer ${center.token}` } })).json()) as {
      incidents: { trackingId: string; state: string; visitedAt: string | null; completedAt: string | null; checklist?: unknown }[];
    };
    const hanako = activity.incidents.find((i) => i.trackingId === ids.hanako);
    assert.equal(hanako?.state, 'completed');
    assert.ok(hanako?.visitedAt !== null && hanako?.completedAt !== null);
    assert.deepEqual(hanako?.checklist, { submissions: 1, yes: 3, no: 1, unknown: 1 });
    assert.ok(!activity.incidents.some((i) => i.trackingId === center.otherTrackingId));

    // Completion stops hanako's notices; the others go on at stage 4.
    clock = new Date(clock.getTime() + 7 * DAY);
    const week4 = await client.notify();
    assert.equal(week4.sent, 3);
    assert.equal(smtp.mails.filter((m) => m.to.includes('hanako@mail.example')).length, 3);

    // Letters: john (default mail never changed, 25 attacks) and everyone with two e-mails and no visit.
    const lettersOut = join(dir, 'letters.csv');
    const letters = await client.letters({ format: 'csv', out: lettersOut });
    assert.equal(letters.letters, 3);
    assert.deepEqual(letters.byReason, { 'many-attacks': 0, 'many-attacks-default-mail': 1, 'no-reaction': 3 });
    assert.deepEqual(await noticesByStage(storage), { email: { '1': 4, '2': 4, '3': 4, '4': 3 }, postal: { '5': 3 } });

    // Hanako is infected again: a new episode on the center, a new request, a new notice for it only.
    await insertEvents(storage, [event('2024-08-05T09:00:00.000Z', '192.0.2.10', 'Example Net', { src_port: 41000, sample_sha256: 'b'.repeat(64), import_id: 'imp-2' })]);
    await workflow.buildIncidents(storage, { gapDays: 7, now: new Date('2024-08-06T00:00:00.000Z') });
    await workflow.buildWeeklyRequests(storage, { now: new Date('2024-08-06T00:00:00.000Z'), publicUrl: CENTER_PUBLIC_URL });
    const again = await client.pull();
    assert.deepEqual([again.requests, again.items, again.identified], [1, 1, 1]);
    assert.equal((await client.answer()).applied, 1);
    const fresh = (await workflow.listIncidents(storage, { ispId: 'example-net' })).incidents.find((i) => i.srcIp === '192.0.2.10' && i.firstSeen.startsWith('2024-08-05'));
    assert.equal(fresh?.subscriberKey, key('C-1001'), 'the same opaque key links the episodes');
    clock = new Date('2024-08-07T01:00:00Z');
    await client.notify();
    const reinfected = await Promise.all(smtp.mails.filter((m) => m.to.includes('hanako@mail.example')).map((m) => PostalMime.parse(m.raw)));
    assert.equal(reinfected.length, 4, 'notices start again after reinfection');
    assert.ok(fresh !== undefined && (reinfected[3]?.text ?? '').includes(fresh.trackingId));
    assert.ok(!(reinfected[3]?.text ?? '').includes(ids.hanako), 'the completed episode is not repeated');

    // Nothing the ISP knows about its subscribers reached the center; the client's secret neither.
    const dump = await centerDump(storage);
    assert.ok(SUBSCRIBER_FACTS.length > 10);
    for (const s of [...SUBSCRIBER_FACTS, SECRET]) assert.ok(!dump.includes(s), `the center holds ${s}`);
    assert.ok(dump.includes(key('C-1001')), 'the dump really holds the answers');
    assert.deepEqual(warnings, []);
  } finally {
    await client.close();
    await smtp.close();
    await center.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
