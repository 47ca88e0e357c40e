/** What clamd said about one INSTREAM scan. */
export type InstreamResult =
  | { readonly status: 'ok' }
  | { readonly status: 'found'; readonly signatures: readonly string[] }
  | { readonly status: 'error'; readonly message: string };

const MAX_QUOTED = 200;

/**
 * Parses clamd's reply to zINSTREAM. The reply is one or more NUL-terminated results; with
 * AllMatch on there is one "stream: <Sig> FOUND" per signature. Anything not in the documented
 * forms is an error, quoted (shortened), so that a wrong port or a proxy shows up as such.
 */
export function parseInstreamReply(reply: string): InstreamResult {
  const parts = reply
    .split(/[\0\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { status: 'error', message: 'empty reply from clamd' };
  const signatures: string[] = [];
  let ok = false;
  for (const part of parts) {
    if (/size limit exceeded/i.test(part)) return { status: 'error', message: 'INSTREAM size limit exceeded (clamd StreamMaxLength)' };
    if (/ ERROR$/.test(part)) return { status: 'error', message: `clamd: ${quote(part.replace(/ ERROR$/, ''))}` };
    const found = /^(?:\d+: )?stream: (.+) FOUND$/.exec(part);
    if (found?.[1]) {
      signatures.push(found[1]);
      continue;
    }
    if (/^(?:\d+: )?stream: OK$/.test(part)) {
      ok = true;
      continue;
    }
    return { status: 'error', message: `unexpected clamd reply: ${quote(part)}` };
  }
  if (signatures.length > 0) return { status: 'found', signatures };
  return ok ? { status: 'ok' } : { status: 'error', message: 'unexpected clamd reply' };
}

function quote(s: string): string {
  // Replies may carry bytes from a wrong service; keep them printable and short.
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > MAX_QUOTED ? `${printable.slice(0, MAX_QUOTED)}…` : printable);
}

/** One INSTREAM chunk: 4-byte big-endian length, then the bytes. A zero-length chunk ends the stream. */
export function instreamChunkHeader(length: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(length, 0);
  return header;
}
