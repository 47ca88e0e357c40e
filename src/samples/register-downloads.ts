import { stat } from 'node:fs/promises';
import type { Storage } from '../storage/schema.js';
import { registerBinary, type BinaryOutcome } from '../storage/repositories/samples-repository.js';
import { scanDownloadFolder } from './download-folder.js';

export interface RegisterSummary {
  readonly folder: string;
  filesRead: number;
  /** Binaries the store did not know at all. */
  newSamples: number;
  /** Samples known so far only by a hash (e.g. a dionaea download record) whose binary is now present. */
  binariesForHashOnlySamples: number;
  alreadyPresent: number;
  merged: number;
  /** Hash-named files whose content has another hash: truncated or corrupt downloads. */
  nameMismatches: string[];
  errors: { path: string; reason: string }[];
  skipped: { path: string; reason: string }[];
}

/** Hashes every binary in a honeypot download folder and records it as a sample with its binary present. */
export async function registerDownloadFolder(
  storage: Storage,
  folder: string,
  onProgress?: (done: number) => void,
): Promise<RegisterSummary> {
  const s: RegisterSummary = {
    folder,
    filesRead: 0,
    newSamples: 0,
    binariesForHashOnlySamples: 0,
    alreadyPresent: 0,
    merged: 0,
    nameMismatches: [],
    errors: [],
    skipped: [],
  };
  const tally: Record<BinaryOutcome, () => void> = {
    new: () => s.newSamples++,
    'matched-hash-only': () => s.binariesForHashOnlySamples++,
    'already-present': () => s.alreadyPresent++,
    merged: () => s.merged++,
  };
  for await (const item of scanDownloadFolder(folder)) {
    if (item.kind === 'error') s.errors.push({ path: item.path, reason: item.reason });
    else if (item.kind === 'skipped') s.skipped.push({ path: item.path, reason: item.reason });
    else {
      s.filesRead++;
      const b = item.binary;
      if (b.nameKind !== 'other' && !b.nameMatches) s.nameMismatches.push(b.path);
      const mtime = await stat(b.path).then((st) => st.mtime.toISOString(), () => new Date().toISOString());
      tally[await registerBinary(storage, { md5: b.md5, sha1: b.sha1, sha256: b.sha256, size: b.size, path: b.path, seenAt: mtime })]();
    }
    onProgress?.(s.filesRead + s.errors.length + s.skipped.length);
  }
  return s;
}
