import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 18 random bytes = 144 bits, 24 URL-safe characters: far beyond guessing. */
export function newTrackingId(): string {
  return randomBytes(18).toString('base64url');
}

/** Looks like a tracking ID: checked before any database look-up so that junk never reaches SQL. */
export function isTrackingIdShape(s: string): boolean {
  return /^[A-Za-z0-9_-]{22,64}$/.test(s);
}

/** No 0/O, 1/I: a person reads a ticket off a letter or says it on the phone. */
export const TICKET_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** "CC-7K4M-Q2": six characters from a 32-letter alphabet (30 bits), for people, never for access. */
export function newTicket(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += TICKET_ALPHABET[randomInt(TICKET_ALPHABET.length)];
  return `CC-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Canonical ticket from what a person typed ("cc 7k4m q2", "7K4MQ2"); null when it cannot be one. */
export function normalizeTicket(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/^CC/, '');
  if (s.length !== 6) return null;
  for (const c of s) if (!TICKET_ALPHABET.includes(c)) return null;
  return `CC-${s.slice(0, 4)}-${s.slice(4)}`;
}

let lastIdTime = '';
let idSeq = 0;

/**
 * Internal row ids: the creation time, a counter and 64 random bits, so that ids made one after the
 * other sort one after the other. Every index keyed by an incident id (state log, answers, request
 * items, observations) then grows at its end when a build or an upload writes 100,000 rows, instead
 * of at 100,000 random places. Never used for access (tracking IDs are), and still unguessable.
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  if (time !== lastIdTime) {
    lastIdTime = time;
    idSeq = 0;
  }
  const seq = (idSeq++).toString(36).padStart(4, '0');
  return `${prefix}_${time}${seq}${randomBytes(8).toString('base64url')}`;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
