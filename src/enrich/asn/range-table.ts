import { compareWords, intToIpv4, wordsToIpv6 } from '../../domain/ip.js';

/** Where a range came from, for error messages about it. */
export interface RangeOrigin {
  readonly file: string;
  readonly line: number;
}

/** A range that could not be kept because an earlier-starting range already covers part of it. */
export interface RangeConflict {
  readonly origin: RangeOrigin;
  readonly reason: string;
}

/** Result shared by every lookup that lands in the same range, so hits allocate nothing. */
export interface AsnHit {
  readonly asn: number;
  readonly org: string | null;
}

/**
 * Collects ASN ranges in growable typed arrays, then freezes them into a sorted, non-overlapping
 * table searched by bisection. IPv4 bounds are one uint32 each; IPv6 bounds four uint32 words,
 * most significant first.
 */
export class AsnRangeBuilder {
  private v4 = new Columns(1);
  private v6 = new Columns(4);
  private readonly orgIndex = new Map<string, number>();
  private readonly orgs: string[] = [];
  private readonly files: string[] = [];

  private org(org: string | null): number {
    if (org === null) return -1;
    let i = this.orgIndex.get(org);
    if (i === undefined) {
      i = this.orgs.length;
      this.orgs.push(org);
      this.orgIndex.set(org, i);
    }
    return i;
  }

  private file(name: string): number {
    let i = this.files.lastIndexOf(name);
    if (i < 0) i = this.files.push(name) - 1;
    return i;
  }

  addV4(start: number, end: number, asn: number, org: string | null, origin: RangeOrigin): void {
    this.v4.push([start], [end], asn, this.org(org), this.file(origin.file), origin.line);
  }

  addV6(start: readonly number[], end: readonly number[], asn: number, org: string | null, origin: RangeOrigin): void {
    this.v6.push(start, end, asn, this.org(org), this.file(origin.file), origin.line);
  }

  /** Sort, drop overlapping ranges (reported as conflicts) and build the lookup. */
  build(): { table: AsnRangeTable; conflicts: RangeConflict[] } {
    const conflicts: RangeConflict[] = [];
    const v4 = this.v4.finish(this.files, conflicts, (w, i) => intToIpv4(w[i]!));
    const v6 = this.v6.finish(this.files, conflicts, (w, i) => wordsToIpv6([w[i]!, w[i + 1]!, w[i + 2]!, w[i + 3]!]));
    return { table: new AsnRangeTable(v4, v6, this.orgs), conflicts };
  }
}

interface Frozen {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly asns: Uint32Array;
  readonly orgs: Int32Array;
  readonly count: number;
}

class Columns {
  private starts: Uint32Array;
  private ends: Uint32Array;
  private asns = new Uint32Array(1024);
  private orgs = new Int32Array(1024);
  private fileIdx = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  count = 0;

  constructor(private readonly width: number) {
    this.starts = new Uint32Array(1024 * width);
    this.ends = new Uint32Array(1024 * width);
  }

  push(start: readonly number[], end: readonly number[], asn: number, org: number, file: number, line: number): void {
    if (this.count === this.asns.length) this.grow();
    const n = this.count++;
    for (let k = 0; k < this.width; k++) {
      this.starts[n * this.width + k] = start[k]!;
      this.ends[n * this.width + k] = end[k]!;
    }
    this.asns[n] = asn;
    this.orgs[n] = org;
    this.fileIdx[n] = file;
    this.lines[n] = line;
  }

  private grow(): void {
    const g = <A extends Uint32Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.starts = g(this.starts, (n) => new Uint32Array(n));
    this.ends = g(this.ends, (n) => new Uint32Array(n));
    this.asns = g(this.asns, (n) => new Uint32Array(n));
    this.orgs = g(this.orgs, (n) => new Int32Array(n));
    this.fileIdx = g(this.fileIdx, (n) => new Uint32Array(n));
    this.lines = g(this.lines, (n) => new Uint32Array(n));
  }

  finish(files: readonly string[], conflicts: RangeConflict[], show: (w: Uint32Array, i: number) => string): Frozen {
    const w = this.width;
    const n = this.count;
    const s = this.starts;
    const e = this.ends;
    // Published files are already sorted; only sort (an index permutation) when this one is not.
    let order: Uint32Array | null = null;
    for (let i = 1; i < n; i++) {
      if (compareWords4(s, (i - 1) * w, s, i * w, w) > 0) {
        order = Uint32Array.from({ length: n }, (_, k) => k).sort(
          (a, b) => compareWords4(s, a * w, s, b * w, w) || compareWords4(e, a * w, e, b * w, w) || a - b,
        );
        break;
      }
    }
    const out = {
      starts: new Uint32Array(n * w),
      ends: new Uint32Array(n * w),
      asns: new Uint32Array(n),
      orgs: new Int32Array(n),
    };
    let kept = 0;
    let lastKept = -1;
    for (let k = 0; k < n; k++) {
      const i = order === null ? k : order[k]!;
      let start = s.subarray(i * w, i * w + w);
      if (lastKept >= 0 && compareWords4(start, 0, e, lastKept * w, w) <= 0) {
        // Published data does overlap now and then; the earlier-starting range keeps the shared part
        // and only the part of this one past its end survives.
        const origin = { file: files[this.fileIdx[i]!] ?? '?', line: this.lines[i]! };
        const other = `${files[this.fileIdx[lastKept]!] ?? '?'}:${this.lines[lastKept]!}`;
        const beyond = compareWords4(e, i * w, e, lastKept * w, w) > 0;
        const what = `range ${show(s, i * w)}-${show(e, i * w)} overlaps ${show(s, lastKept * w)}-${show(e, lastKept * w)} from ${other}`;
        if (!beyond) {
          conflicts.push({ origin, reason: `${what}; dropped it` });
          continue;
        }
        start = successor(e.subarray(lastKept * w, lastKept * w + w));
        conflicts.push({ origin, reason: `${what}; kept it from ${show(start, 0)} on` });
      }
      out.starts.set(start, kept * w);
      out.ends.set(e.subarray(i * w, i * w + w), kept * w);
      out.asns[kept] = this.asns[i]!;
      out.orgs[kept] = this.orgs[i]!;
      kept++;
      lastKept = i;
    }
    return {
      starts: out.starts.slice(0, kept * w),
      ends: out.ends.slice(0, kept * w),
      asns: out.asns.slice(0, kept),
      orgs: out.orgs.slice(0, kept),
      count: kept,
    };
  }
}

/** The next address after the given one (never called on the all-ones address: nothing is beyond it). */
function successor(words: Uint32Array): Uint32Array {
  const next = Uint32Array.from(words);
  for (let k = next.length - 1; k >= 0; k--) {
    next[k] = (next[k]! + 1) >>> 0;
    if (next[k] !== 0) break;
  }
  return next;
}

function compareWords4(a: Uint32Array, ai: number, b: Uint32Array, bi: number, width: number): number {
  if (width === 1) return a[ai]! < b[bi]! ? -1 : a[ai]! > b[bi]! ? 1 : 0;
  return compareWords(a, ai, b, bi);
}

/** The frozen, searchable table. */
export class AsnRangeTable {
  private readonly hitsV4: (AsnHit | undefined)[];
  private readonly hitsV6: (AsnHit | undefined)[];
  private first16: Int32Array | undefined;
  private last16: Int32Array | undefined;

  constructor(
    private readonly v4: Frozen,
    private readonly v6: Frozen,
    private readonly orgs: readonly string[],
  ) {
    this.hitsV4 = new Array<AsnHit | undefined>(v4.count);
    this.hitsV6 = new Array<AsnHit | undefined>(v6.count);
  }

  get v4Ranges(): number {
    return this.v4.count;
  }

  get v6Ranges(): number {
    return this.v6.count;
  }

  findV4(ip: number): AsnHit | null {
    const { ends } = this.v4;
    if (this.first16 === undefined) this.index16();
    const top = ip >>> 16;
    const first = this.first16![top]!;
    const found = this.lastStartAtOrBelow(ip, first + 1, this.last16![top]!, first);
    if (found < 0 || ends[found]! < ip) return null;
    return this.hit(this.v4, this.hitsV4, found);
  }

  /**
   * For each /16, the ranges that can hold its addresses (the last starting at or below its first
   * address, through the last starting within it), in one pass on first use: a look-up then
   * bisects those few instead of the whole table.
   */
  private index16(): void {
    const { starts, count } = this.v4;
    const first = new Int32Array(65536);
    const last = new Int32Array(65536);
    let j = -1;
    for (let top = 0; top < 65536; top++) {
      const base = top * 0x10000;
      while (j + 1 < count && starts[j + 1]! <= base) j++;
      first[top] = j;
      let k = j;
      while (k + 1 < count && starts[k + 1]! <= base + 0xffff) k++;
      last[top] = k;
    }
    this.first16 = first;
    this.last16 = last;
  }

  /** The last IPv4 range in [lo, hi] that starts at or below ip, else `found`. */
  private lastStartAtOrBelow(ip: number, lo: number, hi: number, found: number): number {
    const { starts } = this.v4;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  findV6(words: readonly number[]): AsnHit | null {
    const { starts, ends } = this.v6;
    let lo = 0;
    let hi = this.v6.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(starts, mid * 4, words, 0) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || compareWords(ends, found * 4, words, 0) < 0) return null;
    return this.hit(this.v6, this.hitsV6, found);
  }

  private hit(f: Frozen, cache: (AsnHit | undefined)[], i: number): AsnHit {
    let h = cache[i];
    if (h === undefined) {
      const o = f.orgs[i]!;
      h = Object.freeze({ asn: f.asns[i]!, org: o < 0 ? null : (this.orgs[o] ?? null) });
      cache[i] = h;
    }
    return h;
  }
}
