import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';
import { parseIp } from '../../domain/ip.js';
import type { GeoLookup } from '../types.js';
import { countryOfRecord } from './country-of-record.js';

/** Anything that answers "which network holds this address, and what record has it" the way a MaxMind reader does. */
export interface MmdbPrefixReader {
  /** [record or null, prefix length of the network holding ip]; IPv4 lengths count from 0 to 32. */
  getWithPrefixLength(ip: string): [unknown, number];
}

/** A country database: the lookup plus the network walk that homeIpv4Slash16Blocks() needs. */
export interface GeoDatabase extends GeoLookup, MmdbPrefixReader {
  /** "GeoLite2-Country", "country ipvAll", … as the file says. */
  readonly databaseType: string;
  readonly buildEpoch: Date;
}

/** The country database that ships with the @ip-location-db/geolite2-country-mmdb package. */
export function defaultGeoDatabasePath(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/geolite2-country-mmdb/geolite2-country.mmdb');
}

/**
 * Open a MaxMind DB country file (GeoLite2-Country, GeoIP2-Country or @ip-location-db's mmdb).
 * Rejects when the file is missing or not a MaxMind DB; lookups never throw.
 */
export async function openGeoDatabase(path: string = defaultGeoDatabasePath()): Promise<GeoDatabase> {
  // Country files hold a few hundred distinct records, so a small decoder cache always hits.
  const reader: Reader<Response> = await maxmind.open<Response>(path, { cache: { max: 2048 } });
  return geoDatabaseOf(reader);
}

/** Wrap an already opened maxmind Reader (tests build one from a synthetic buffer). */
export function geoDatabaseOf(reader: Reader<Response>): GeoDatabase {
  return {
    databaseType: reader.metadata.databaseType,
    buildEpoch: reader.metadata.buildEpoch,
    country(ip: string): string | null {
      // Our parser first: it is strict, never throws, and turns ::ffff:a.b.c.d into the IPv4
      // address, which not every database aliases into its IPv4 subtree.
      const p = parseIp(ip);
      if (p === null) return null;
      return countryOfRecord(reader.get(p.text));
    },
    getWithPrefixLength(ip: string): [unknown, number] {
      return reader.getWithPrefixLength(ip);
    },
  };
}
