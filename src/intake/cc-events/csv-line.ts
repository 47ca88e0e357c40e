/**
 * Splits one CSV line (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`) into fields.
 *
 * Why not csv-parse: a field of this format never holds a line break, and per-line splitting
 * lets a broken quote cost exactly one row. csv-parse's stream does not resynchronise after an
 * invalid closing quote (it swallowed the next rows into the bad record when tried), and its
 * sync API costs about 40 µs per call, against well under 1 µs here.
 */
export type CsvLineResult = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly reason: string };

const QUOTE = 34;
const COMMA = 44;

export function splitCsvLine(line: string): CsvLineResult {
  if (line.indexOf('"') < 0) return { ok: true, fields: line.split(',') };
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return { ok: false, reason: `unclosed quote in field ${fields.length + 1} (a field may not span lines)` };
        value += line.slice(from, q);
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { ok: true, fields };
      if (line.charCodeAt(i) !== COMMA) return { ok: false, reason: `field ${fields.length}: text after the closing quote (column ${i + 1})` };
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const value = line.slice(i, end);
      const stray = value.indexOf('"');
      if (stray >= 0) return { ok: false, reason: `field ${fields.length + 1}: quote inside an unquoted field (column ${i + stray + 1})` };
      fields.push(value);
      if (comma < 0) return { ok: true, fields };
      i = comma + 1;
    }
  }
}
