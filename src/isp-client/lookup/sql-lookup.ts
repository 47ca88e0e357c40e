import { sql, type Kysely } from 'kysely';
import { subscriberFrom, type LookupOutcome, type SubscriberLookup } from './types.js';

const PARAMS = ['ip', 'port', 'time'] as const;

/**
 * Splits a query with :ip, :port and :time into text parts and parameter names, skipping quoted
 * strings, quoted identifiers, comments and PostgreSQL casts (::int). The values are bound by the
 * driver, never pasted into the text. Throws on an unknown :name so a typo is not sent as SQL.
 */
export function splitNamedQuery(query: string): { parts: string[]; names: (typeof PARAMS)[number][] } {
  const parts: string[] = [];
  const names: (typeof PARAMS)[number][] = [];
  let current = '';
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (c === "'" || c === '"') {
      const end = query.indexOf(c, i + 1);
      const stop = end < 0 ? query.length : end + 1;
      current += query.slice(i, stop);
      i = stop;
    } else if (c === '-' && query[i + 1] === '-') {
      const end = query.indexOf('\n', i);
      const stop = end < 0 ? query.length : end;
      current += query.slice(i, stop);
      i = stop;
    } else if (c === ':' && query[i + 1] === ':') {
      current += '::';
      i += 2;
    } else if (c === ':' && /[A-Za-z_]/.test(query[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i + 1)) as RegExpExecArray;
      const name = m[0];
      if (!(PARAMS as readonly string[]).includes(name)) throw new Error(`unknown parameter :${name}; the query may use :ip, :port and :time`);
      parts.push(current);
      names.push(name as (typeof PARAMS)[number]);
      current = '';
      i += 1 + name.length;
    } else {
      current += c;
      i++;
    }
  }
  parts.push(current);
  return { parts, names };
}

/**
 * Subscriber lookup by a query against the ISP's own database. The first row is the answer, so
 * the query should order the most specific assignment (port range, narrowest time) first.
 */
export function createSqlLookup(db: Kysely<unknown>, query: string): SubscriberLookup {
  const { parts, names } = splitNamedQuery(query);
  const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
  return {
    kind: 'sql',
    rejects: [],
    lookup: async (q): Promise<LookupOutcome> => {
      const values = names.map((n) => q[n]);
      let rows: Record<string, unknown>[];
      try {
        rows = (await sql<Record<string, unknown>>(strings, ...values).execute(db)).rows;
      } catch (e) {
        return { kind: 'error', reason: `lookup query failed: ${(e as Error).message}` };
      }
      const first = rows[0];
      if (first === undefined) return { kind: 'not-found', reason: 'the lookup query returned no row' };
      const s = subscriberFrom(first);
      if (typeof s === 'string') return { kind: 'not-found', reason: `the lookup query returned an unusable row: ${s}` };
      return { kind: 'found', subscriber: s };
    },
    close: () => db.destroy(),
  };
}
