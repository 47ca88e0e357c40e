import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, TOKEN, item, request, startHarness } from '../testing/harness.js';
import { csvCell } from './letter-csv.js';
import { findCjkFont } from './fonts.js';
import { missingServer } from '../../testing/require-server.js';

const pages = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

/**
 * Three subscribers, one per rule: 192.0.2.10 (30 attacks: rule 1 at threshold 30),
 * 192.0.2.20 (default mail unchanged, 12 attacks: rule 2 at 10), 198.51.100.7:3000 in July
 * (2 attacks, rule 3 after two e-mails without a visit). 192.0.2.30 has no e-mail, 1 attack.
 */
async function lettersHarness() {
  const h = await startHarness('letters:\n  manyAttacks: 30\n  manyAttacksDefaultMail: 10\n  noReactionAfterEmails: 2\n');
  const many = (n: number, port: number) => Array.from({ length: n }, (_, i) => ({ time: `2024-06-2${i % 9}T00:00:${String(i % 60).padStart(2, '0')}Z`, srcPort: port }));
  h.center.addRequest(
    TOKEN,
    request('req-l', [
      item('LLLLmany000000000000000000', '192.0.2.10', many(30, 40000)),
      item('MMMMdefault000000000000000', '192.0.2.20', many(12, 40000)),
      item('NNNNquiet00000000000000000', '198.51.100.7', many(2, 3000)),
      item('OOOOpostal0000000000000000', '192.0.2.30', many(1, 1)),
    ]),
  );
  await h.client.pull();
  await h.client.answer();
  return h;
}

describe('postal letters', () => {
  test('targeting rules and the mail-merge CSV', async () => {
    const h = await lettersHarness();
    try {
      const out = join(h.dir, 'letters.csv');
      // Before any e-mail: rules 1 and 2 only.
      const first = await h.client.letters({ format: 'csv', out, dryRun: true });
      assert.equal(first.letters, 2);
      assert.deepEqual(first.byReason, { 'many-attacks': 1, 'many-attacks-default-mail': 1, 'no-reaction': 0 });
      // Two weekly e-mails without a visit add the quiet subscriber (rule 3).
      await h.client.notify();
      h.clock = new Date(h.clock.getTime() + 7 * DAY);
      await h.client.notify();
      h.center.setActivity(TOKEN, 'LLLLmany000000000000000000', { visitedAt: '2024-07-05T00:00:00Z' });
      const r = await h.client.letters({ format: 'csv', out });
      assert.equal(r.letters, 3);
      assert.deepEqual(r.byReason, { 'many-attacks': 1, 'many-attacks-default-mail': 1, 'no-reaction': 2 });
      const text = readFileSync(out, 'utf8');
      assert.ok(text.startsWith('\uFEFFcustomer_number,name,postal_address,'));
      const lines = text.slice(1).trimEnd().split('\r\n');
      assert.equal(lines.length, 1 + 3);
      assert.ok(text.includes('"東京都千代田区例町1-2-3\n例ビル101"'));
      assert.match(text, /C-1002,John Example,"1 Example Street\nSample City 100-0001",en,3,many-attacks-default-mail no-reaction,CC-MMMM-Q2,/);
      assert.match(text, /C-2003,Carl Test,.*no-reaction/s);
      // Recorded and reported as postal notices; a second run within minDaysBetween writes none.
      assert.equal(h.center.notices.filter((n) => n.channel === 'postal').length, 3);
      const again = await h.client.letters({ format: 'csv', out });
      assert.equal(again.letters, 0);
      assert.equal(again.skipped.recentLetter, 3);
    } finally {
      await h.close();
    }
  });

  test('PDF: one letter per page, English with a warning when no CJK font', async () => {
    const h = await lettersHarness();
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
      await h.close();
    }
  });

  test('PDF in Japanese with a CJK font', async (t) => {
    const font = findCjkFont(null);
    if (font === null) return missingServer(t, 'no CJK font (Debian: fonts-ipafont-gothic)');
    const h = await lettersHarness();
    try {
      const out = join(h.dir, 'letters-ja.pdf');
      const r = await h.client.letters({ format: 'pdf', out, dryRun: true });
      assert.equal(r.warning, null);
      const pdf = readFileSync(out);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(pages(pdf), 2);
      assert.match(pdf.toString('latin1'), /FontFile2|FontFile3/);
    } finally {
      await h.close();
    }
  });

  test('CSV cells defuse formulas and quote line breaks', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+81'), "'+81");
    assert.equal(csvCell('a\nb'), '"a\nb"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(3), '3');
  });
});
