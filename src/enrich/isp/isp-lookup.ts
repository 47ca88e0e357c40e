import { intToIpv4, parsePrefix } from '../../domain/ip.js';
import { PrefixTable } from '../../domain/prefix-table.js';
import type { AsnLookup, IspLookup } from '../types.js';

/** One participating ISP as configured. */
export interface IspConfig {
  readonly name: string;
  readonly asns?: readonly number[];
  readonly prefixes?: readonly string[];
}

/**
 * Configuration mistakes, one sentence each naming the ISP and the prefix or ASN: an empty or
 * repeated ISP name, a prefix that does not parse (host bits set included), an invalid ASN, and a
 * prefix or ASN claimed by two ISPs (the same prefix written differently counts as the same).
 * An ISP listing one of its own prefixes twice is harmless and not reported.
 * Overlapping but different prefixes are allowed: the longer one wins (see createIspLookup).
 */
export function validateIspConfig(isps: readonly IspConfig[]): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  const prefixOwner = new Map<string, string>();
  const asnOwner = new Map<number, string>();
  for (const isp of isps) {
    const name = isp.name.trim();
    if (name === '') errors.push('an ISP has an empty name');
    else if (names.has(name)) errors.push(`ISP "${name}" is configured twice`);
    names.add(name);
    for (const text of isp.prefixes ?? []) {
      const r = parsePrefix(text.trim());
      if (!r.ok) {
        errors.push(`ISP "${name}": ${r.reason}`);
        continue;
      }
      const owner = prefixOwner.get(r.prefix.text);
      if (owner !== undefined && owner !== name) {
        errors.push(`prefix ${r.prefix.text} is claimed by ISP "${owner}" and ISP "${name}"`);
      } else prefixOwner.set(r.prefix.text, name);
    }
    for (const asn of isp.asns ?? []) {
      if (!Number.isInteger(asn) || asn <= 0 || asn > 0xffffffff) {
        errors.push(`ISP "${name}": invalid ASN ${String(asn)}`);
        continue;
      }
      const owner = asnOwner.get(asn);
      if (owner !== undefined && owner !== name) errors.push(`AS${asn} is claimed by ISP "${owner}" and ISP "${name}"`);
      else asnOwner.set(asn, name);
    }
  }
  return errors;
}

/** Thrown by createIspLookup when validateIspConfig finds mistakes; `errors` lists them all. */
export class IspConfigError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`invalid ISP configuration: ${errors.join('; ')}`);
    this.name = 'IspConfigError';
  }
}

/**
 * Map addresses to participating ISPs.
 *
 * Precedence: the longest configured prefix covering the address decides. Only when no
 * configured prefix covers it is the address's ASN (from asnLookup) looked up in the ISPs' ASN
 * lists. So an ISP can claim a whole AS and another can still claim a prefix announced in it.
 * Without asnLookup, ASN lists are ignored. Throws IspConfigError when the configuration is invalid.
 */
export function createIspLookup(isps: readonly IspConfig[], asnLookup?: AsnLookup): IspLookup {
  const errors = validateIspConfig(isps);
  if (errors.length > 0) throw new IspConfigError(errors);
  const table = new PrefixTable<string>();
  const byAsn = new Map<number, string>();
  for (const isp of isps) {
    const name = isp.name.trim();
    for (const p of isp.prefixes ?? []) table.add(p.trim(), name);
    for (const asn of isp.asns ?? []) byAsn.set(asn, name);
  }
  const useAsn = asnLookup !== undefined && byAsn.size > 0;
  return {
    isp(ip: string): string | null {
      const hit = table.lookup(ip);
      if (hit !== null) return hit.value;
      if (!useAsn) return null;
      const a = asnLookup.asn(ip);
      return a === null ? null : (byAsn.get(a.asn) ?? null);
    },
    ispV4(v4: number, asn?: number | null): string | null {
      const hit = table.lookupV4(v4);
      if (hit !== null) return hit.value;
      if (!useAsn) return null;
      if (asn !== undefined) return asn === null ? null : (byAsn.get(asn) ?? null);
      const a = asnLookup.asnV4 !== undefined ? asnLookup.asnV4(v4) : asnLookup.asn(intToIpv4(v4));
      return a === null ? null : (byAsn.get(a.asn) ?? null);
    },
  };
}
