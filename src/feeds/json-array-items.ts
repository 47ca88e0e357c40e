/**
 * Splits a JSON array of objects into its items without trusting the whole document, so that a
 * truncated download or one broken object costs one reject, not the file, and every item knows
 * the line it starts on.
 */

export interface JsonArrayItem {
  /** 1-based line where the item (or the junk) starts. */
  readonly line: number;
  /** 1-based position in the array. */
  readonly index: number;
  readonly raw: string;
  readonly value?: unknown;
  readonly error?: string;
}

export interface JsonArrayScan {
  readonly items: JsonArrayItem[];
  readonly lines: number;
  readonly blankLines: number;
  /** Set when the document is not an array at all. */
  readonly error?: string;
}

/** Scans `[ {...}, {...} ]`; text between items other than commas and white space is an error item. */
export function scanJsonArray(text: string): JsonArrayScan {
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lines = text.endsWith('\n') ? lineStarts.length - 1 : lineStarts.length;
  const blankLines = text.split('\n').slice(0, lines).filter((l) => l.trim() === '').length;
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const items: JsonArrayItem[] = [];
  let i = skipWs(text, 0);
  if (text[i] !== '[') return { items, lines, blankLines, error: 'not a JSON array (first character is not "[")' };
  i++;
  let index = 0;
  for (;;) {
    i = skipWs(text, i);
    while (text[i] === ',') i = skipWs(text, i + 1);
    if (i >= text.length) {
      return { items, lines, blankLines, error: 'truncated JSON array (no closing "]")' };
    }
    if (text[i] === ']') return { items, lines, blankLines };
    const start = i;
    index++;
    if (text[i] !== '{') {
      // Junk up to the next object or the end of the array.
      let j = i;
      while (j < text.length && text[j] !== '{' && text[j] !== ']') j++;
      items.push({ line: lineOf(start), index, raw: text.slice(start, j).trim(), error: 'array item is not a JSON object' });
      i = j;
      continue;
    }
    const end = objectEnd(text, i);
    if (end < 0) {
      items.push({ line: lineOf(start), index, raw: text.slice(start), error: 'truncated JSON object (no closing "}")' });
      return { items, lines, blankLines, error: 'truncated JSON array (no closing "]")' };
    }
    const raw = text.slice(start, end);
    try {
      items.push({ line: lineOf(start), index, raw, value: JSON.parse(raw) as unknown });
    } catch (e) {
      items.push({ line: lineOf(start), index, raw, error: `invalid JSON: ${(e as Error).message}` });
    }
    i = end;
  }
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

/** Index just after the "}" closing the object that starts at `i`, or -1; strings may hold braces. */
function objectEnd(text: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}
