import { hashFile } from '../hash-file.js';
import { errorVerdict, knownVerdict, unknownVerdict, type SampleToScan, type Scanner, type Verdict } from '../scanner.js';
import { splitLines } from './line-splitter.js';

export type HashKind = 'md5' | 'sha1' | 'sha256';

/** What the list says about one hash. */
export interface HashListEntry {
  /** The name given on the line, or null when the line holds only the hash. */
  readonly signature: string | null;
  readonly line: number;
}

/** A line the list could not use. Kept and exposed, never thrown: one typo must not void a list. */
export interface HashListError {
  readonly line: number;
  readonly reason: string;
  /** The line as read, shortened. */
  readonly raw: string;
}

/** A loaded hash list: one lookup table per hash kind, lowercase hex keys. */
export interface HashList {
  readonly source: string;
  readonly md5: ReadonlyMap<string, HashListEntry>;
  readonly sha1: ReadonlyMap<string, HashListEntry>;
  readonly sha256: ReadonlyMap<string, HashListEntry>;
  readonly errors: readonly HashListError[];
}

const KIND_BY_LENGTH: Readonly<Record<number, HashKind>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const MAX_LINE_BYTES = 4096;
const MAX_SIGNATURE_CHARS = 256;
const MAX_RAW = 120;

/**
 * Parses a hash list: one md5/sha1/sha256 hex hash per line (any case), optionally followed by
 * whitespace, ',' or ';' and a signature name. '#' starts a comment (whole line, or after
 * whitespace). A hash listed twice with different names keeps the first and reports the second.
 */
export function parseHashList(text: string, source: string): HashList {
  const builder = new HashListBuilder(source);
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (Buffer.byteLength(l) > MAX_LINE_BYTES) builder.reject(i + 1, `line longer than ${MAX_LINE_BYTES} bytes`, l);
    else builder.add(i + 1, l.replace(/\r$/, ''));
  });
  return builder.build();
}

/** Loads a hash list file in a streaming pass; throws only when the file cannot be read at all. */
export async function loadHashList(path: string): Promise<HashList> {
  const builder = new HashListBuilder(path);
  for await (const l of splitLines(path, MAX_LINE_BYTES)) {
    if (l.text === null) builder.reject(l.line, `line longer than ${MAX_LINE_BYTES} bytes`, l.head);
    else builder.add(l.line, l.text);
  }
  return builder.build();
}

class HashListBuilder {
  private readonly maps = { md5: new Map<string, HashListEntry>(), sha1: new Map<string, HashListEntry>(), sha256: new Map<string, HashListEntry>() };
  private readonly errors: HashListError[] = [];
  constructor(private readonly source: string) {}

  add(line: number, raw: string): void {
    // A byte-order mark on the first line is an editor artefact, not part of the hash.
    const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/(^|\s)#.*$/, '').trim();
    if (text === '') return;
    const m = /^([^\s,;]+)(?:\s*[,;]\s*|\s+)?(.*)$/.exec(text);
    const hash = m?.[1] ?? '';
    if (!/^[0-9a-fA-F]+$/.test(hash)) return this.reject(line, `not a hex hash: ${JSON.stringify(hash.slice(0, 40))}`, raw);
    const kind = KIND_BY_LENGTH[hash.length];
    if (kind === undefined) return this.reject(line, `hash has ${hash.length} hex digits; expected 32 (md5), 40 (sha1) or 64 (sha256)`, raw);
    const signature = (m?.[2] ?? '').trim();
    if (signature.length > MAX_SIGNATURE_CHARS) return this.reject(line, `signature name longer than ${MAX_SIGNATURE_CHARS} characters`, raw);
    if (/[\u0000-\u001f\u007f\uFFFD]/.test(signature)) return this.reject(line, 'signature name holds control characters or invalid UTF-8', raw);
    const key = hash.toLowerCase();
    const entry: HashListEntry = { signature: signature === '' ? null : signature, line };
    const earlier = this.maps[kind].get(key);
    if (earlier === undefined) this.maps[kind].set(key, entry);
    else if (earlier.signature !== entry.signature) {
      this.reject(line, `${kind} already listed on line ${earlier.line} with another name; kept the first`, raw);
    }
  }

  reject(line: number, reason: string, raw: string): void {
    this.errors.push({ line, reason, raw: raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}…` : raw });
  }

  build(): HashList {
    return { source: this.source, ...this.maps, errors: this.errors };
  }
}

/** Entries the list holds, for a summary line ("1 234 hashes, 2 bad lines"). */
export function hashListSize(list: HashList): number {
  return list.md5.size + list.sha1.size + list.sha256.size;
}

export interface HashListScannerOptions {
  /** Scanner name in verdicts. Default "hash-list". */
  readonly name?: string;
}

/**
 * A scanner that needs no binary: the sample is 'known' when any of its hashes is listed. When a
 * sample has a file but no hashes, the file is hashed first. The signature is the listed name, or
 * the scanner's name when the line gave none; detail says which hash matched on which line.
 */
export function createHashListScanner(list: HashList, options: HashListScannerOptions = {}): Scanner {
  const name = options.name ?? 'hash-list';
  return {
    name,
    async scan(sample: SampleToScan): Promise<Verdict> {
      let { md5, sha1, sha256 } = sample;
      if (md5 === null && sha1 === null && sha256 === null) {
        if (sample.path === null) return errorVerdict(name, 'no hash and no binary to look up');
        try {
          ({ md5, sha1, sha256 } = await hashFile(sample.path));
        } catch (err) {
          return errorVerdict(name, `cannot read binary: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      // Strongest hash first, so that the reported line is the least ambiguous one.
      const lookups: Array<[HashKind, string | null]> = [['sha256', sha256], ['sha1', sha1], ['md5', md5]];
      for (const [kind, hash] of lookups) {
        if (hash === null) continue;
        const entry = list[kind].get(hash.trim().toLowerCase());
        if (entry) return knownVerdict(name, entry.signature ?? name, `${kind} listed in ${list.source} line ${entry.line}`);
      }
      return unknownVerdict(name);
    },
  };
}
