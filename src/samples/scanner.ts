/**
 * A sample to classify. Every hash may be missing (a honeypot log may carry only one), and the
 * binary itself may be absent: the center often knows a sample only by the hash a sensor logged.
 */
export interface SampleToScan {
  readonly sha256: string | null;
  readonly sha1: string | null;
  readonly md5: string | null;
  /** The binary on disk; null when absent and known only by its hash. */
  readonly path: string | null;
}

/**
 * One scanner's opinion of one sample. 'known' means the scanner has a signature for it (the
 * clean-center meaning: anti-virus already covers it); 'unknown' means it scanned and found nothing;
 * 'error' means no opinion could be formed, with the reason in detail.
 */
export interface Verdict {
  readonly scanner: string;
  readonly verdict: 'known' | 'unknown' | 'error';
  /** The signature or rule name(s) that matched; null unless verdict is 'known'. */
  readonly signature: string | null;
  /** When the scan finished, UTC ISO 8601 with milliseconds and a Z. */
  readonly scannedAt: string;
  /** Free text: the error reason, or extra scanner output worth keeping. */
  readonly detail: string | null;
}

/**
 * A way to classify samples. scan() never rejects for a scanning problem: a missing binary, a dead
 * daemon or garbage output all become an 'error' verdict, so that one bad sample never stops a batch.
 */
export interface Scanner {
  readonly name: string;
  scan(sample: SampleToScan): Promise<Verdict>;
  /** Releases sockets or child processes, when the scanner holds any. */
  close?(): Promise<void>;
}

/** The detail of the 'error' verdict a scanner that needs the bytes gives for a hash-only sample. */
export const BINARY_ABSENT = 'binary absent';

export function knownVerdict(scanner: string, signature: string, detail: string | null = null): Verdict {
  return { scanner, verdict: 'known', signature, scannedAt: new Date().toISOString(), detail };
}

export function unknownVerdict(scanner: string, detail: string | null = null): Verdict {
  return { scanner, verdict: 'unknown', signature: null, scannedAt: new Date().toISOString(), detail };
}

export function errorVerdict(scanner: string, detail: string): Verdict {
  return { scanner, verdict: 'error', signature: null, scannedAt: new Date().toISOString(), detail };
}
