import type { HoneypotEvent } from '../../domain/event.js';

/** A record understood by a mapper; the reader adds format and ref. Failures throw RecordReject. */
export type Mapped =
  | { readonly kind: 'event'; readonly event: Omit<HoneypotEvent, 'format' | 'ref'> }
  | { readonly kind: 'ignored'; readonly ignored: string };

export const MAX_URL = 4096;
export const WEAK_CREDENTIALS = 'weak-credentials';
