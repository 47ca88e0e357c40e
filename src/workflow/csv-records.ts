/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * RFC 4180 records: fields separated by commas, optionally in double quotes (a doubled quote is a
 * quote; quoted fields may hold commas and line breaks), records ended by CRLF or LF. Blank lines
 * are skipped, a leading BOM dropped. An unterminated quote or text after a closing quote is an
 * error naming its line; a record longer than maxRecordChars too, so one bad quote cannot swallow a file.
 */
export function parseCsvRecords(text: string, maxRecordChars = 4096): { records: CsvRecord[] } | { error: string; line: number } {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  // Searched again only once passed: searching from every line would be quadratic in a quote-free file.
  let quote = -1;
  while (i < s.length) {
    // Fast path: a line without quotes is just split on commas.
    const eol = s.indexOf('\n', i);
    const end = eol === -1 ? s.length : eol;
    if (quote !== Infinity && quote < i) {
      quote = s.indexOf('"', i);
      if (quote === -1) quote = Infinity;
    }
    if (quote > end && end - i <= maxRecordChars) {
      const text = s.charCodeAt(end - 1) === 13 && end > i ? s.slice(i, end - 1) : s.slice(i, end);
      if (!text.includes('\r')) {
        if (text !== '') records.push({ line, fields: text.split(',') });
        line++;
        i = end + 1;
        continue;
      }
    }
    const startLine = line;
    const start = i;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= s.length) return { error: 'a quoted field is not closed', line: startLine };
          const c = s[i] as string;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
          if (i - start > maxRecordChars) return { error: `a record is longer than ${maxRecordChars} characters`, line: startLine };
        }
        const next = s[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') return { error: 'text after a closing quote', line };
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') return { error: 'a quote inside an unquoted field', line };
          field += s[i];
          i++;
        }
      }
      if (i - start > maxRecordChars) return { error: `a record is longer than ${maxRecordChars} characters`, line: startLine };
      fields.push(field);
      if (s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields });
  }
  return { records };
}
