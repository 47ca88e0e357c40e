/** One row of the mail-merge file. */
export interface LetterRow {
  readonly customerNumber: string;
  readonly name: string | null;
  readonly postalAddress: string;
  readonly language: string;
  readonly stage: number;
  readonly reasons: readonly string[];
  readonly tickets: readonly string[];
  readonly trackingUrls: readonly string[];
  readonly checkUrl: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attackCount: number;
  readonly botNames: readonly string[];
}

const HEADER = ['customer_number', 'name', 'postal_address', 'language', 'stage', 'reasons', 'tickets', 'tracking_urls', 'check_url', 'first_seen', 'last_seen', 'attack_count', 'bot_names'];

/**
 * A cell for spreadsheet-based mail merge: quoted, and a leading = + - @ is defused, because a
 * bot name or an address is outside data and must not run as a formula.
 */
export function csvCell(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM so that spreadsheet programs read Japanese correctly; CRLF line ends. */
export function renderLettersCsv(rows: readonly LetterRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.customerNumber, r.name, r.postalAddress, r.language, r.stage, r.reasons.join(' '), r.tickets.join(' '), r.trackingUrls.join(' '), r.checkUrl, r.firstSeen, r.lastSeen, r.attackCount, r.botNames.join(' ')]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
