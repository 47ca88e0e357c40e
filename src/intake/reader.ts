import type { HoneypotEvent, IgnoredRecord, RejectedRecord } from '../domain/event.js';

/** One record read from a source: an event, a reject, or a record that is not an attack step. */
export type ReadItem =
  | { readonly kind: 'event'; readonly event: HoneypotEvent }
  | { readonly kind: 'reject'; readonly reject: RejectedRecord }
  | { readonly kind: 'ignored'; readonly ignored: IgnoredRecord };

export interface ReadOptions {
  /** Sensor name to use when the format does not carry one. */
  readonly sensor?: string;
  /** Progress callback: bytes (or rows) done and total, when known. */
  readonly onProgress?: (done: number, total: number | null) => void;
}

/**
 * A honeypot log reader. It never throws for bad input: every bad record becomes a reject with
 * source, line (or row) and reason, and the reader carries on. It throws only when the source
 * cannot be opened at all (then the caller records one reject for the whole file).
 *
 * Invariant: each raw record yields exactly one ReadItem, so that
 * records read = events + rejects + ignored.
 */
export interface HoneypotReader {
  readonly format: string;
  readonly description: string;
  read(path: string, options?: ReadOptions): AsyncIterable<ReadItem>;
  /**
   * Optional: the same items as read(), in order, several at a time. Intake prefers it: one await
   * per chunk instead of one per record is a visible share of a bulk ingest.
   */
  readBatches?(path: string, options?: ReadOptions): AsyncIterable<readonly ReadItem[]>;
}
