/**
 * A server's line as safe evidence: control characters escaped (so a hostile server cannot drive
 * an analyst's terminal) and long lines cut.
 */
export function evidenceLine(line: string, maxChars: number): string {
  const safe = line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > maxChars ? `${safe.slice(0, maxChars)}…[${safe.length - maxChars} more]` : safe;
}
