import maxmind, { type Reader, type Response } from 'maxmind';
import { parseIp } from '../../domain/ip.js';
import type { AsnLookup } from '../types.js';

interface AsnRecord {
  readonly autonomous_system_number?: unknown;
  readonly autonomous_system_organization?: unknown;
}

/** Open a GeoLite2-ASN / GeoIP2-ASN MaxMind DB file. Rejects when the file is missing or not a MaxMind DB. */
export async function openAsnMmdb(path: string): Promise<AsnLookup> {
  const reader = await maxmind.open<Response>(path, { cache: { max: 10_000 } });
  return asnLookupOfReader(reader);
}

/** Wrap an opened maxmind Reader whose records carry autonomous_system_number / _organization. */
export function asnLookupOfReader(reader: Reader<Response>): AsnLookup {
  // The decoder cache hands back the same record object for the same data, so results can be shared.
  const results = new WeakMap<object, { asn: number; org: string | null } | null>();
  return {
    asn(ip: string) {
      const p = parseIp(ip);
      if (p === null) return null;
      const rec = reader.get(p.text) as AsnRecord | null;
      if (rec === null || typeof rec !== 'object') return null;
      let hit = results.get(rec);
      if (hit === undefined) {
        const asn = rec.autonomous_system_number;
        const org = rec.autonomous_system_organization;
        hit = typeof asn === 'number' && Number.isInteger(asn) && asn > 0
          ? Object.freeze({ asn, org: typeof org === 'string' && org !== '' ? org : null })
          : null;
        results.set(rec, hit);
      }
      return hit;
    },
  };
}
