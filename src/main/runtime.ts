import type { GlobalOptions, Runtime } from '../cli/deps.js';
import { UserError } from '../domain/errors.js';
import type { SourceEnricher } from '../intake/ingest.js';
import type { Storage } from '../storage/schema.js';
import { openStorage } from '../storage/dialects/open.js';
import { defaultGeoDatabasePath, openGeoDatabase, type GeoDatabase } from '../enrich/geo/geo-database.js';
import { homeIpv4Slash16Blocks } from '../enrich/geo/home-blocks.js';
import { defaultAsnCsvPaths, loadAsnCsv } from '../enrich/asn/asn-csv.js';
import { openAsnMmdb } from '../enrich/asn/asn-mmdb.js';
import { createIspLookup } from '../enrich/isp/isp-lookup.js';
import { createPtrResolver } from '../enrich/rdns/ptr-resolver.js';
import { createEnricher } from '../enrich/enricher.js';
import type { AsnLookup } from '../enrich/types.js';
import { ConfigError, loadConfig, redactDatabase, type Config } from './config.js';

/** Loads the configuration (flags > environment > file > defaults) and opens what commands need, lazily. */
export async function openRuntime(opts: GlobalOptions): Promise<Runtime> {
  const config = loadConfigOrExplain(opts);
  return runtimeFor(config);
}

export function loadConfigOrExplain(opts: GlobalOptions): Config {
  try {
    return loadConfig({ ...(opts.config !== undefined ? { path: opts.config } : {}), overrides: { ...(opts.db !== undefined ? { database: opts.db } : {}) } });
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError('CONFIG_INVALID', e.message);
    throw e;
  }
}

export function runtimeFor(config: Config): Runtime {
  let storage: Promise<Storage> | undefined;
  let geo: Promise<GeoDatabase> | undefined;
  let enricher: Promise<SourceEnricher> | undefined;
  const openGeo = (): Promise<GeoDatabase> =>
    (geo ??= openGeoDatabase(config.geo.countryDb ?? defaultGeoDatabasePath()).catch((e: Error) => {
      throw new UserError('FILE_NOT_FOUND', `geo.countryDb ${config.geo.countryDb ?? '(bundled)'}: ${e.message}`);
    }));
  return {
    homeCountry: config.homeCountry ?? '',
    databaseLocation: redactDatabase(config.database),
    workflow: { ...config.workflow, publicUrl: config.http.publicUrl },
    storage: () =>
      (storage ??= openStorage(config.database).catch((e: Error) => {
        throw new UserError('DATABASE_UNAVAILABLE', `database ${redactDatabase(config.database)}: ${e.message}`);
      })),
    enricher: () =>
      (enricher ??= (async () => {
        const asn = await openAsn(config.geo.asnDb);
        return createEnricher({ geo: await openGeo(), asn, isp: createIspLookup(config.isps, asn) });
      })()),
    ptr: () => {
      if (!config.rdns.enabled) return null;
      const r = createPtrResolver({ servers: config.rdns.servers, timeoutMs: config.rdns.timeoutMs });
      return (ip: string) => r.ptr(ip);
    },
    homeBlocks: async () => {
      if (config.homeCountry === null) throw new UserError('CONFIG_INVALID', 'homeCountry is not set in the configuration; coverage needs it (e.g. homeCountry: JP)');
      return homeIpv4Slash16Blocks(await openGeo(), config.homeCountry);
    },
    close: async () => {
      if (storage !== undefined) await (await storage.catch(() => null))?.close();
    },
  };
}

async function openAsn(path: string | null): Promise<AsnLookup> {
  try {
    if (path !== null && path.toLowerCase().endsWith('.mmdb')) return await openAsnMmdb(path);
    return loadAsnCsv(path ?? defaultAsnCsvPaths());
  } catch (e) {
    throw new UserError('FILE_NOT_FOUND', `geo.asnDb ${path ?? '(bundled)'}: ${(e as Error).message}`);
  }
}
