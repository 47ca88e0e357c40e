/**
 * One CSV line to fields. Feed CSVs never put line breaks inside fields, so a line-at-a-time
 * splitter keeps line numbers exact and lets one broken line be rejected on its own.
 * ThreatFox writes `"a", "b"`: spaces before an opening quote are skipped.
 */
export type CsvSplit = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly reason: string };

export function splitCsvLine(line: string, separator = ','): CsvSplit {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    // Skip blanks before a field only when a quote follows, so unquoted values keep their spaces.
    let j = i;
    while (j < n && (line[j] === ' ' || line[j] === '\t') && separator !== '\t') j++;
    if (j < n && line[j] === '"') {
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = line.indexOf('"', k);
        if (q < 0) return { ok: false, reason: `unterminated quoted field ${fields.length + 1}` };
        value += line.slice(k, q);
        if (line[q + 1] === '"') {
          value += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      while (k < n && (line[k] === ' ' || line[k] === '\t') && separator !== '\t') k++;
      fields.push(value);
      if (k >= n) return { ok: true, fields };
      if (line[k] !== separator) return { ok: false, reason: `unexpected text after quoted field ${fields.length}` };
      i = k + 1;
    } else {
      const sep = line.indexOf(separator, i);
      const end = sep < 0 ? n : sep;
      const value = line.slice(i, end);
      if (value.includes('"')) return { ok: false, reason: `stray quote in field ${fields.length + 1}` };
      fields.push(value);
      if (sep < 0) return { ok: true, fields };
      i = sep + 1;
    }
  }
}
