import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The three digests the center keys samples by, lowercase hex, plus the byte count. */
export interface FileHashes {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly size: number;
}

/** Default read size; large enough to keep syscalls few, small enough that memory stays flat. */
const HIGH_WATER_MARK = 1 << 20;

/**
 * Hashes a file with MD5, SHA-1 and SHA-256 in one streaming pass: each chunk feeds all three
 * digests, so a multi-gigabyte sample is read once and never held in memory.
 * Rejects when the file cannot be opened or read.
 */
export async function hashFile(path: string): Promise<FileHashes> {
  const hashes = newHashes();
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: HIGH_WATER_MARK });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hashes.md5.update(chunk);
    hashes.sha1.update(chunk);
    hashes.sha256.update(chunk);
    size += chunk.length;
  }
  return digest(hashes, size);
}

/** The same digests for bytes already in memory (tests, small uploads). */
export function hashBuffer(buf: Uint8Array): FileHashes {
  const hashes = newHashes();
  hashes.md5.update(buf);
  hashes.sha1.update(buf);
  hashes.sha256.update(buf);
  return digest(hashes, buf.length);
}

interface Hashes {
  readonly md5: Hash;
  readonly sha1: Hash;
  readonly sha256: Hash;
}

function newHashes(): Hashes {
  return { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
}

function digest(h: Hashes, size: number): FileHashes {
  return { md5: h.md5.digest('hex'), sha1: h.sha1.digest('hex'), sha256: h.sha256.digest('hex'), size };
}
