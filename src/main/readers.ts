import type { HoneypotReader } from '../intake/reader.js';
import { cowrieReader } from '../intake/cowrie/index.js';
import { dionaeaSqliteReader } from '../intake/dionaea-sqlite/index.js';
import { dionaeaIncidentReader } from '../intake/dionaea-incident/index.js';
import { ccEventsCsvReader, ccEventsJsonlReader } from '../intake/cc-events/index.js';

/** Every honeypot format `ingest --format` accepts, by name. */
export function createReaders(): ReadonlyMap<string, HoneypotReader> {
  const readers = [dionaeaSqliteReader, dionaeaIncidentReader, cowrieReader, ccEventsJsonlReader, ccEventsCsvReader];
  return new Map(readers.map((r) => [r.format, r]));
}
