/**
 * Parses a root hints file (named.cache / root.hints zone-file syntax) into server hints.
 */
import { isIP } from 'node:net';
import type { RootHint } from './types.js';
import { canonicalName, ROOT } from './names.js';

export interface RootHintsReject {
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface ParsedRootHints {
  /** One entry per address of each root server named by a "." NS record, in file order. */
  readonly hints: RootHint[];
  readonly rejects: RootHintsReject[];
}

const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);

/**
 * Bad lines are rejected with their line number and reason; the rest is still used.
 * Address records for names that no root NS record names are ignored, as a resolver would.
 */
export function parseRootHints(text: string, source = 'root.hints'): ParsedRootHints {
  const rejects: RootHintsReject[] = [];
  const nsNames: string[] = [];
  const nsLines = new Map<string, number>();
  const addresses = new Map<string, string[]>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const reject = (reason: string): void => {
      rejects.push({ source, line: index + 1, text: raw.slice(0, 200), reason });
    };
    const body = (raw.split(';')[0] ?? '').trim();
    if (body === '') return;
    const fields = body.split(/\s+/);
    if (fields.length < 3) return reject('expected "owner [ttl] [class] type data"');
    const owner = canonicalName(fields.shift() as string);
    while (fields.length > 2 && (/^\d+$/.test(fields[0] as string) || CLASSES.has((fields[0] as string).toUpperCase()))) fields.shift();
    if (fields.length !== 2) return reject('expected exactly one type and one data field');
    const type = (fields[0] as string).toUpperCase();
    const data = fields[1] as string;
    if (type === 'NS') {
      if (owner !== ROOT) return reject(`NS record for ${owner}, not for the root`);
      const name = canonicalName(data);
      if (!nsNames.includes(name)) {
        nsNames.push(name);
        nsLines.set(name, index + 1);
      }
    } else if (type === 'A' || type === 'AAAA') {
      const family = isIP(data);
      if ((type === 'A' && family !== 4) || (type === 'AAAA' && family !== 6)) return reject(`${type} record with invalid address ${JSON.stringify(data.slice(0, 60))}`);
      const list = addresses.get(owner) ?? [];
      list.push(data.toLowerCase());
      addresses.set(owner, list);
    } else {
      reject(`unexpected record type ${type} in root hints`);
    }
  });
  const hints: RootHint[] = [];
  for (const name of nsNames) {
    const ips = addresses.get(name) ?? [];
    if (ips.length === 0) rejects.push({ source, line: nsLines.get(name) ?? 0, text: name, reason: `root server ${name} has no address record` });
    for (const ip of ips) hints.push({ name, ip });
  }
  return { hints, rejects };
}
