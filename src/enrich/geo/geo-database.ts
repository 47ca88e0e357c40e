import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';
import { intToIpv4, parseIp } from '../../domain/ip.js';
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
  const v4 = ipv4Walker(reader);
  return {
    databaseType: reader.metadata.databaseType,
    buildEpoch: reader.metadata.buildEpoch,
    country(ip: string): string | null {
      // Our parser first: it is strict, never throws, and turns ::ffff:a.b.c.d into the IPv4
      // address, which not every database aliases into its IPv4 subtree.
      const p = parseIp(ip);
      if (p === null) return null;
      if (p.version === 4 && v4 !== null) return v4(p.v4);
      return countryOfRecord(reader.get(p.text));
    },
    countryV4(n: number): string | null {
      return v4 !== null ? v4(n) : countryOfRecord(reader.get(intToIpv4(n)));
    },
    getWithPrefixLength(ip: string): [unknown, number] {
      return reader.getWithPrefixLength(ip);
    },
  };
}

/** The parts of mmdb-lib's Reader that an IPv4 walk needs; not in its typings, so checked at run time. */
interface ReaderInternals {
  readonly db?: unknown;
  readonly ipv4StartNodeNumber?: unknown;
  readonly metadata: { readonly nodeCount: number; readonly recordSize: number };
}

/**
 * Country of an IPv4 address held as an integer, walking the search tree straight from the file's
 * buffer: the reader's own lookup parses the text again and allocates on every call, which costs
 * more than the rest of enrichment. The few hundred distinct records are decoded once each (by
 * the reader, for the first address that lands on them). Null when the reader's internals are not
 * as expected; callers then use the reader itself.
 */
function ipv4Walker(reader: Reader<Response>): ((n: number) => string | null) | null {
  const r = reader as unknown as ReaderInternals;
  const db = r.db;
  const start = r.ipv4StartNodeNumber;
  const { nodeCount, recordSize } = r.metadata;
  if (!Buffer.isBuffer(db) || typeof start !== 'number' || (recordSize !== 24 && recordSize !== 28 && recordSize !== 32)) return null;
  const nodeBytes = recordSize / 4;
  const byPointer = new Map<number, string | null>();
  const record = (node: number, right: boolean): number => {
    const o = node * nodeBytes;
    if (recordSize === 24) return right ? (db[o + 3]! << 16) | (db[o + 4]! << 8) | db[o + 5]! : (db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!;
    if (recordSize === 28) {
      return right
        ? (db[o + 3]! & 0x0f) * 0x1000000 + ((db[o + 4]! << 16) | (db[o + 5]! << 8) | db[o + 6]!)
        : (db[o + 3]! >>> 4) * 0x1000000 + ((db[o]! << 16) | (db[o + 1]! << 8) | db[o + 2]!);
    }
    return db.readUInt32BE(right ? o + 4 : o);
  };
  // Where the walk stands after an address's first 16 bits, filled in as /16s are first seen: the
  // walk then takes 16 steps instead of 32. -1 = not yet known.
  const after16 = new Int32Array(65536).fill(-1);
  return (n: number): string | null => {
    const top = n >>> 16;
    let node = after16[top]!;
    if (node < 0) {
      node = start;
      for (let bit = 31; bit >= 16 && node < nodeCount; bit--) node = record(node, ((n >>> bit) & 1) === 1);
      after16[top] = node;
    }
    for (let bit = 15; bit >= 0 && node < nodeCount; bit--) node = record(node, ((n >>> bit) & 1) === 1);
    // nodeCount itself means "no data"; below it, the walk ran out of address bits (a broken tree).
    if (node <= nodeCount) return null;
    let country = byPointer.get(node);
    if (country === undefined) {
      country = countryOfRecord(reader.get(intToIpv4(n)));
      byPointer.set(node, country);
    }
    return country;
  };
}
