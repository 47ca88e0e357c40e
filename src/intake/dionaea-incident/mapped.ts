import type { HoneypotEvent } from '../../domain/event.js';
import type { Attack } from './attack-state.js';

/**
 * A record understood by a mapper; the reader adds format and ref. Failures throw RecordReject.
 * 'pending' is an outbound connection not yet linked to an attack: dionaea may report the link a
 * few lines later (UDP connects are reported before the link), so the reader holds it back until
 * the state names another attack for `id` than `own`, or a short window passes.
 */
export type Mapped = MappedEvent | { readonly kind: 'ignored'; readonly ignored: string } | MappedPending;

export interface MappedEvent {
  readonly kind: 'event';
  readonly event: Omit<HoneypotEvent, 'format' | 'ref'>;
}

export interface MappedPending {
  readonly kind: 'pending';
  readonly id: string;
  readonly own: Attack;
  readonly finish: (attack: Attack) => MappedEvent;
}

export const MAX_URL = 4096;
export const WEAK_CREDENTIALS = 'weak-credentials';
