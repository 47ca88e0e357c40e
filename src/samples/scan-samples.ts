import type { Storage } from '../storage/schema.js';
import { listSamples, recordVerdict } from '../storage/repositories/samples-repository.js';
import type { Scanner, Verdict } from './scanner.js';

export interface ScanSummary {
  readonly scanner: string;
  scanned: number;
  known: number;
  unknown: number;
  errors: number;
  /** Samples whose binary is absent, which only a hash-based scanner can judge. */
  binaryAbsent: number;
  readonly verdicts: { sampleKey: string; verdict: Verdict }[];
}

/** Scans every stored sample (or only those not yet known) and stores each verdict with its date. */
export async function scanStoredSamples(
  storage: Storage,
  scanner: Scanner,
  opts: { onlyUnknown?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<ScanSummary> {
  const samples = await listSamples(storage, { onlyUnknown: opts.onlyUnknown ?? false });
  const s: ScanSummary = { scanner: scanner.name, scanned: 0, known: 0, unknown: 0, errors: 0, binaryAbsent: 0, verdicts: [] };
  for (const sample of samples) {
    const path = sample.binaryPresent ? sample.binaryPath : null;
    if (path === null) s.binaryAbsent++;
    const v = await scanner.scan({ sha256: sample.sha256, sha1: sample.sha1, md5: sample.md5, path });
    await recordVerdict(storage, sample.sampleKey, v);
    s.scanned++;
    if (v.verdict === 'known') s.known++;
    else if (v.verdict === 'unknown') s.unknown++;
    else s.errors++;
    s.verdicts.push({ sampleKey: sample.sampleKey, verdict: v });
    opts.onProgress?.(s.scanned, samples.length);
  }
  return s;
}
