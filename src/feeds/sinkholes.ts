/**
 * Known sinkholes: addresses and names that researchers or registries took over from botnets.
 * A C&C domain that resolves to a sinkhole is not run by anyone the traceback study is looking
 * for, so classification must keep sinkholed entries out of "unmanaged" (and out of blocklist
 * persistence). The list is configuration, not code: the operator supplies it.
 */
import type { FeedEntry } from '../domain/feed-entry.js';
import { PrefixIndex } from './prefix-index.js';
import { canonicalAddress, canonicalDomain } from './values.js';

export interface SinkholeSpec {
  /** An IP, a CIDR, or a host name; a name also covers its subdomains. */
  readonly value: string;
  /** Who runs it, e.g. "example research sinkhole". */
  readonly label: string;
}

export interface SinkholeList {
  /** The label of the sinkhole that covers this IP, or null. */
  isSinkhole(ip: string): string | null;
  /** The label of the sinkhole name this host name is (or is under), or null. */
  isSinkholeName(name: string): string | null;
  /** The label for an entry: by its IP or CIDR (when wholly inside a sinkhole prefix) or by its domain. */
  labelFor(entry: Pick<FeedEntry, 'kind' | 'value' | 'ip' | 'domain'>): string | null;
  readonly size: number;
}

/** Builds the list; throws on a value that is neither IP, CIDR nor host name (a configuration error). */
export function createSinkholeList(specs: readonly SinkholeSpec[]): SinkholeList {
  const prefixes = new PrefixIndex<string>();
  const names = new Map<string, string>();
  for (const s of specs) {
    if (canonicalAddress(s.value).ok) {
      prefixes.add(s.value, s.label);
      continue;
    }
    const d = canonicalDomain(s.value);
    if (!d.ok) throw new Error(`sinkhole list: ${JSON.stringify(s.value)} is neither an IP, a CIDR nor a host name`);
    names.set(d.value, s.label);
  }
  const isSinkhole = (ip: string): string | null => prefixes.lookup(ip)[0]?.payload ?? null;
  const isSinkholeName = (name: string): string | null => {
    const d = canonicalDomain(name);
    if (!d.ok) return null;
    const labels = d.value.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const hit = names.get(labels.slice(i).join('.'));
      if (hit !== undefined) return hit;
    }
    return null;
  };
  return {
    size: specs.length,
    isSinkhole,
    isSinkholeName,
    labelFor(entry) {
      if (entry.kind === 'cidr') return prefixes.covering(entry.value)[0]?.payload ?? null;
      if (entry.ip !== undefined) {
        const hit = isSinkhole(entry.ip);
        if (hit !== null) return hit;
      }
      if (entry.domain !== undefined) return isSinkholeName(entry.domain);
      return null;
    },
  };
}

/**
 * Reads the sinkhole configuration text: one "value label…" per line, "#" comments.
 * Throws with the line number on a bad value, because a silently shortened sinkhole list would
 * quietly turn sinkholes into "unmanaged" hosts.
 */
export function parseSinkholeList(text: string): SinkholeList {
  const specs: SinkholeSpec[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [value = '', ...rest] = line.split(/\s+/);
    if (!canonicalAddress(value).ok && !canonicalDomain(value).ok) {
      throw new Error(`sinkhole list line ${i + 1}: ${JSON.stringify(value)} is neither an IP, a CIDR nor a host name`);
    }
    specs.push({ value, label: rest.join(' ') || value });
  });
  return createSinkholeList(specs);
}
