/**
 * The shared cache of zone cuts learned from referrals, and of name-server addresses learned
 * by glueless look-ups. A cached zone keeps the path that led to it, so that a name resolved
 * from the cache reports the same delegation path as one resolved from the root.
 */
import type { PathStep } from './types.js';
import { enclosingZones } from './names.js';

export interface NameServer {
  readonly name: string;
  /** Glue or looked-up addresses; empty for a glueless server not yet resolved. */
  readonly ips: readonly string[];
}

export interface Delegation {
  readonly zone: string;
  readonly servers: readonly NameServer[];
  /** The steps that led here, root first, excluding this zone's own step. */
  readonly path: readonly PathStep[];
  /** performance.now() time after which the entry is ignored; Infinity for the root hints. */
  readonly expiresAt: number;
}

/** Addresses of a name server; an empty list remembers that the look-up failed. */
export interface AddressEntry {
  readonly ips: readonly string[];
  readonly expiresAt: number;
  readonly failure: string | null;
}

export interface DelegationCache {
  /** The deepest unexpired zone cut enclosing `name`; the root at worst. */
  closest(name: string): Delegation;
  /** Stores a cut unless a live one is already known (the first answer wins until it expires). */
  put(d: Delegation): Delegation;
  addressOf(nsName: string): AddressEntry | undefined;
  putAddress(nsName: string, entry: AddressEntry): void;
  readonly size: number;
}

export function createDelegationCache(root: Delegation, now: () => number = () => performance.now()): DelegationCache {
  const zones = new Map<string, Delegation>();
  const addresses = new Map<string, AddressEntry>();
  return {
    closest(name) {
      const t = now();
      for (const zone of enclosingZones(name)) {
        const d = zones.get(zone);
        if (d !== undefined) {
          if (d.expiresAt > t) return d;
          zones.delete(zone);
        }
      }
      return root;
    },
    put(d) {
      const existing = zones.get(d.zone);
      if (existing !== undefined && existing.expiresAt > now()) return existing;
      zones.set(d.zone, d);
      return d;
    },
    addressOf(nsName) {
      const e = addresses.get(nsName);
      if (e === undefined) return undefined;
      if (e.expiresAt > now()) return e;
      addresses.delete(nsName);
      return undefined;
    },
    putAddress(nsName, entry) {
      addresses.set(nsName, entry);
    },
    get size() {
      return zones.size;
    },
  };
}
