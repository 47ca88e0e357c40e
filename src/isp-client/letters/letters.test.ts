import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dialectTest } from '../../testing/databases.js';
import type { Storage } from '../../storage/schema.js';
import * as workflow from '../../workflow/index.js';
import { attacks, openRealClient, startRealCenter, type RealClient } from '../testing/real-center.js';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.js';
import { csvCell } from './letter-csv.js';
import { findCjkFont } from './fonts.js';
import { missingServer } from '../../testing/require-server.js';

const DAY = 86_400_000;
const pages = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

interface LettersWorld {
  readonly rc: RealClient;
  readonly centerUrl: string;
  readonly many: string;
  close(): Promise<void>;
}

/**
 * On the real center: three subscribers, one per rule: 192.0.2.10 (30 attacks: rule 1 at
 * threshold 30), 192.0.2.20 (default mail unchanged, 12 attacks: rule 2 at 10), 198.51.100.7
 * ports 3000+ in June (2 attacks, rule 3 after two e-mails without a visit). 192.0.2.30 has no
 * e-mail, 1 attack.
 */
async function lettersWorld(storage: Storage): Promise<LettersWorld> {
  const center = await startRealCenter(storage, [
    ['many', '192.0.2.10', attacks(30, 40000)],
    ['default', '192.0.2.20', attacks(12, 40000)],
    ['quiet', '198.51.100.7', attacks(2, 3000)],
    ['postal', '192.0.2.30', attacks(1, 1)],
  ]);
  let smtp: SmtpSink | undefined;
  try {
    smtp = await startSmtpSink();
    const rc = await openRealClient(center, smtp, 'letters:\n  manyAttacks: 30\n  manyAttacksDefaultMail: 10\n  noReactionAfterEmails: 2\n');
    await rc.client.pull();
    await rc.client.answer();
    const s = smtp;
    return { rc, centerUrl: center.url, many: center.ids.many, close: async () => (await rc.close(), await s.close(), await center.close()) };
  } catch (e) {
    await smtp?.close();
    await center.close();
    throw e;
  }
}

/** The center's postal notices by stage. */
async function postalByStage(storage: Storage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of (await workflow.workflowFigures(storage, {})).notices) if (n.channel === 'postal') out[String(n.stage)] = n.count;
  return out;
}

dialectTest('postal letters on the real center: targeting rules, the mail-merge CSV, postal notices reported', async (_t, storage) => {
  const w = await lettersWorld(storage);
  const h = w.rc;
  try {
    const out = join(h.dir, 'letters.csv');
    // Before any e-mail: rules 1 and 2 only.
    const first = await h.client.letters({ format: 'csv', out, dryRun: true });
    assert.equal(first.letters, 2);
    assert.deepEqual(first.byReason, { 'many-attacks': 1, 'many-attacks-default-mail': 1, 'no-reaction': 0 });
    assert.deepEqual(await postalByStage(storage), {}, 'a dry run reports nothing');
    // Two weekly e-mails without a visit add the quiet subscriber (rule 3); the busy one visits the site.
    await h.client.notify();
    h.clock = new Date(h.clock.getTime() + 7 * DAY);
    await h.client.notify();
    assert.equal((await fetch(`${w.centerUrl}/t/${w.many}`)).status, 200);
    const r = await h.client.letters({ format: 'csv', out });
    assert.equal(r.letters, 3);
    assert.deepEqual(r.byReason, { 'many-attacks': 1, 'many-attacks-default-mail': 1, 'no-reaction': 2 });
    const text = readFileSync(out, 'utf8');
    assert.ok(text.startsWith('\uFEFFcustomer_number,name,postal_address,'));
    const lines = text.slice(1).trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + 3);
    assert.ok(text.includes('"東京都千代田区例町1-2-3\n例ビル101"'));
    assert.match(text, /C-1002,John Example,"1 Example Street\nSample City 100-0001",en,3,many-attacks-default-mail no-reaction,CC-[A-Z2-9]{4}-[A-Z2-9]{2},/);
    assert.match(text, /C-2003,Carl Test,.*no-reaction/s);
    assert.ok(text.includes('https://center.example/t/'));
    // Recorded and reported as postal notices (stage: e-mails sent + 1); a second run within minDaysBetween writes none.
    assert.equal(r.reported, 3);
    assert.deepEqual(await postalByStage(storage), { '3': 3 });
    const again = await h.client.letters({ format: 'csv', out });
    assert.equal(again.letters, 0);
    assert.equal(again.skipped.recentLetter, 3);
  } finally {
    await w.close();
  }
});

describe('postal letters as PDF', () => {
  dialectTest('PDF: one letter per page, English with a warning when no CJK font', async (_t, storage) => {
    const w = await lettersWorld(storage);
    const h = w.rc;
    try {
      const out = join(h.dir, 'letters.pdf');
      (h.config.letters as { font: string | null }).font = join(h.dir, 'no-such-font.ttf');
      const r = await h.client.letters({ format: 'pdf', out, dryRun: true });
      assert.equal(r.letters, 2);
      assert.match(r.warning ?? '', /no font with Japanese glyphs.*fonts-ipafont-gothic/);
      assert.equal(h.warnings.length, 1);
      const pdf = readFileSync(out);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(pages(pdf), 2);
    } finally {
      await w.close();
    }
  });

  dialectTest('PDF in Japanese with a CJK font', async (t, storage) => {
    const font = findCjkFont(null);
    if (font === null) return missingServer(t, 'no CJK font (Debian: fonts-ipafont-gothic)');
    const w = await lettersWorld(storage);
    const h = w.rc;
    try {
      const out = join(h.dir, 'letters-ja.pdf');
      const r = await h.client.letters({ format: 'pdf', out, dryRun: true });
      assert.equal(r.warning, null);
      const pdf = readFileSync(out);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(pages(pdf), 2);
      assert.match(pdf.toString('latin1'), /FontFile2|FontFile3/);
    } finally {
      await w.close();
    }
  });
});

describe('letter CSV cells', () => {
  test('CSV cells defuse formulas and quote line breaks', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+81'), "'+81");
    assert.equal(csvCell('a\nb'), '"a\nb"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(3), '3');
  });
});
