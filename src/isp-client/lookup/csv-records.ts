/** One CSV record, or the reason it could not be read, with the line it starts on. */
export type CsvRecord = { readonly line: number; readonly fields: string[] } | { readonly line: number; readonly error: string };

/**
 * RFC 4180 records (quoted fields may hold commas, "" and line breaks). A record with a stray
 * quote or an unterminated quoted field is reported and reading goes on at the next line, so one
 * bad row never hides the rest. Blank lines are skipped; a leading BOM is dropped.
 */
export function* csvRecords(text: string, maxRecordChars = 64 * 1024): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let error: string | null = null;
    const recordStart = i;
    for (;;) {
      if (i - recordStart > maxRecordChars) {
        error = `record longer than ${maxRecordChars} characters`;
        break;
      }
      if (text[i] === '"' && field === '') {
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
          if (i - recordStart > maxRecordChars) break;
        }
        if (!closed) {
          error = 'unterminated quoted field';
          break;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          error = 'text after a closing quote';
          break;
        }
      }
      const c = text[i];
      if (c === undefined || c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
        fields.push(field);
        i += c === undefined ? 0 : c === '\r' ? 2 : 1;
        line++;
        break;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      if (c === '"') {
        error = 'a quote inside an unquoted field';
        break;
      }
      field += c;
      i++;
    }
    if (error !== null) {
      // Resume after the line on which the record went wrong.
      const nl = text.indexOf('\n', i);
      const resume = nl < 0 ? n : nl + 1;
      line = start + (text.slice(recordStart, resume).match(/\n/g)?.length ?? 0);
      i = resume;
      yield { line: start, error };
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: start, fields };
  }
}
