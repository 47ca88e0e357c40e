import { maskOf, parseIp, parsePrefix, type ParsedIp, type ParsedPrefix } from './ip.js';

/** One match: the prefix that covered the address, in canonical text, and its value. */
export interface PrefixMatch<T> {
  readonly prefix: string;
  readonly value: T;
}

/**
 * Longest-prefix-match table for IPv4 and IPv6.
 *
 * One Map per prefix length, probed from the longest length present down: tables built from
 * configuration have few distinct lengths, so a lookup is a handful of Map probes and allocates
 * nothing for IPv4.
 */
export class PrefixTable<T> {
  private readonly v4 = new Map<number, Map<number, PrefixMatch<T>>>();
  private v4Lengths: number[] = [];
  // Parallel to v4Lengths, so a lookup walks plain arrays. Keys are the masked network as a
  // signed int32, which V8 keeps as a small integer (an unsigned key above 2³¹ would be a heap number).
  private v4Masks: number[] = [];
  private v4Maps: Map<number, PrefixMatch<T>>[] = [];
  private readonly v6 = new Map<number, Map<string, PrefixMatch<T>>>();
  private v6Lengths: number[] = [];
  private count = 0;

  /** Number of prefixes held. */
  get size(): number {
    return this.count;
  }

  /**
   * Add a prefix ("192.0.2.0/24", "2001:db8::/32" or a parsed prefix). Host bits set are an error.
   * Returns the value the same prefix held before, if any (the new value replaces it).
   * Throws on a prefix that does not parse: tables are built from validated configuration.
   */
  add(prefix: string | ParsedPrefix, value: T): T | undefined {
    const p = typeof prefix === 'string' ? parsed(prefix) : prefix;
    const entry: PrefixMatch<T> = { prefix: p.text, value };
    let previous: PrefixMatch<T> | undefined;
    if (p.version === 4) {
      let m = this.v4.get(p.length);
      if (m === undefined) {
        m = new Map();
        this.v4.set(p.length, m);
        this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
        this.v4Masks = this.v4Lengths.map((len) => maskOf(len) | 0);
        this.v4Maps = this.v4Lengths.map((len) => this.v4.get(len)!);
      }
      previous = m.get(p.v4 | 0);
      m.set(p.v4 | 0, entry);
    } else {
      let m = this.v6.get(p.length);
      if (m === undefined) {
        m = new Map();
        this.v6.set(p.length, m);
        this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
      }
      const key = v6Key(p.words, p.length);
      previous = m.get(key);
      m.set(key, entry);
    }
    if (previous === undefined) this.count++;
    return previous?.value;
  }

  /** The longest prefix covering the address, or null (also null when ip is not an address). */
  lookup(ip: string | ParsedIp): PrefixMatch<T> | null {
    const p = typeof ip === 'string' ? parseIp(ip) : ip;
    if (p === null) return null;
    if (p.version === 4) return this.lookupV4(p.v4);
    for (const len of this.v6Lengths) {
      const hit = this.v6.get(len)!.get(v6Key(p.words, len));
      if (hit !== undefined) return hit;
    }
    return null;
  }

  /** lookup() for an IPv4 address already held as an unsigned 32-bit integer. */
  lookupV4(v4: number): PrefixMatch<T> | null {
    const masks = this.v4Masks;
    const maps = this.v4Maps;
    for (let i = 0; i < masks.length; i++) {
      const hit = maps[i]!.get(v4 & masks[i]!);
      if (hit !== undefined) return hit;
    }
    return null;
  }

  /** Every prefix with its value, IPv4 first, longest first within each family. */
  *entries(): IterableIterator<PrefixMatch<T>> {
    for (const len of this.v4Lengths) yield* this.v4.get(len)!.values();
    for (const len of this.v6Lengths) yield* this.v6.get(len)!.values();
  }
}

function parsed(prefix: string): ParsedPrefix {
  const r = parsePrefix(prefix);
  if (!r.ok) throw new Error(r.reason);
  return r.prefix;
}

/** Map key of the top `len` bits of an IPv6 address. */
function v6Key(words: readonly number[], len: number): string {
  let key = '';
  for (let k = 0; k * 32 < len; k++) key += `${((words[k]! & maskOf(len - 32 * k)) >>> 0).toString(36)},`;
  return key;
}
