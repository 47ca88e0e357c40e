import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { hashFile, type FileHashes } from './hash-file.js';

/** What a file's name says about it: honeypots name stored binaries after a hash. */
export type NameKind = 'md5' | 'sha256' | 'other';

/** One binary found in a honeypot's download folder, hashed. */
export interface DownloadedBinary {
  readonly path: string;
  readonly name: string;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly size: number;
  readonly nameKind: NameKind;
  /**
   * True when the hash in the name equals the computed one. False for a hash-named file whose
   * content differs — a truncated or corrupt download worth reporting — and for 'other' names.
   */
  readonly nameMatches: boolean;
}

/**
 * One entry of a scan. Every regular file yields exactly one 'binary' or 'error'; symlinks and
 * special files yield 'skipped' so that nothing vanishes uncounted.
 */
export type DownloadFolderItem =
  | { readonly kind: 'binary'; readonly binary: DownloadedBinary }
  | { readonly kind: 'error'; readonly path: string; readonly reason: string }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

export interface ScanDownloadFolderOptions {
  /** Called after each file: files done so far; the total is not known in advance (null). */
  readonly onProgress?: (done: number, total: number | null) => void;
  /** The hashing function; a seam for tests that need a read to fail (root can read anything). */
  readonly hash?: (path: string) => Promise<FileHashes>;
}

const MD5_NAME = /^[0-9a-f]{32}$/i;
const SHA256_NAME = /^[0-9a-f]{64}$/i;

/** dionaea stores binaries under their MD5 (32 hex), Cowrie under their SHA-256 (64 hex). */
export function classifyName(name: string): NameKind {
  if (MD5_NAME.test(name)) return 'md5';
  if (SHA256_NAME.test(name)) return 'sha256';
  return 'other';
}

/**
 * Walks a download folder (recursively, in name order) and hashes every regular file in one
 * streaming pass each. Symlinks are not followed: a honeypot folder is attacker-influenced and a
 * link could point anywhere on the host. An unreadable file or subfolder becomes an 'error' item
 * and the walk carries on; only an unreadable root throws, as there is nothing to report on.
 */
export async function* scanDownloadFolder(
  dir: string,
  options: ScanDownloadFolderOptions = {},
): AsyncGenerator<DownloadFolderItem> {
  const counter = { done: 0 };
  const root = await readSortedDir(dir);
  yield* walkEntries(dir, root, counter, options);
}

async function* walkEntries(
  dir: string,
  entries: Dirent[],
  counter: { done: number },
  options: ScanDownloadFolderOptions,
): AsyncGenerator<DownloadFolderItem> {
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      yield { kind: 'skipped', path, reason: 'symbolic link (not followed)' };
    } else if (entry.isDirectory()) {
      let children: Dirent[];
      try {
        children = await readSortedDir(path);
      } catch (err) {
        yield { kind: 'error', path, reason: `cannot read folder: ${errorText(err)}` };
        continue;
      }
      yield* walkEntries(path, children, counter, options);
    } else if (entry.isFile()) {
      yield await hashOne(path, options.hash ?? hashFile);
      counter.done++;
      options.onProgress?.(counter.done, null);
    } else {
      yield { kind: 'skipped', path, reason: 'not a regular file' };
    }
  }
}

async function hashOne(path: string, hash: (path: string) => Promise<FileHashes>): Promise<DownloadFolderItem> {
  try {
    const h = await hash(path);
    const name = basename(path);
    const nameKind = classifyName(name);
    const lower = name.toLowerCase();
    const nameMatches = (nameKind === 'md5' && lower === h.md5) || (nameKind === 'sha256' && lower === h.sha256);
    return { kind: 'binary', binary: { path, name, ...h, nameKind, nameMatches } };
  } catch (err) {
    return { kind: 'error', path, reason: `cannot read file: ${errorText(err)}` };
  }
}

async function readSortedDir(dir: string): Promise<Dirent[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  // Sorted so that two runs over the same folder report in the same order.
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
