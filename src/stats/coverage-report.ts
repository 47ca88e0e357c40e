import { computeCoverage, type Coverage } from '../domain/coverage.js';
import type { Storage } from '../storage/schema.js';
import { sourcesBySensor, type Period } from '../storage/repositories/events-repository.js';

export interface CoverageReport extends Coverage {
  readonly period: Period;
  readonly homeBlocks: number;
}

/**
 * Honeypot coverage for a period: the share of the home country's IPv4 /16 blocks from which at
 * least one attack was seen, per sensor and in total. Each distinct (sensor, source) pair is one
 * sighting in the counts that explain the share.
 */
export async function coverageReport(storage: Storage, homeBlocks: ReadonlySet<number>, period: Period): Promise<CoverageReport> {
  const sightings = await sourcesBySensor(storage, period);
  return { period, homeBlocks: homeBlocks.size, ...computeCoverage(homeBlocks, sightings) };
}
