/** What a lookup knows about a subscriber. It stays in the ISP client's own database. */
export interface Subscriber {
  readonly customerNumber: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly postalAddress: string | null;
  /** "ja" or "en" when known; null = the configured default. */
  readonly language: string | null;
  readonly defaultMailUnchanged: boolean;
}

/** One observation to resolve: carrier-grade NAT needs the port and the time, not just the IP. */
export interface LookupQuery {
  readonly ip: string;
  readonly port: number | null;
  /** ISO 8601 UTC. */
  readonly time: string;
}

export type LookupOutcome =
  | { readonly kind: 'found'; readonly subscriber: Subscriber }
  | { readonly kind: 'not-found'; readonly reason: string }
  | { readonly kind: 'not-our-customer'; readonly reason: string }
  /** The lookup itself failed (script crashed, database down): retry later, answer nothing. */
  | { readonly kind: 'error'; readonly reason: string };

/** A subscriber-source record that could not be used, with where it was and why. */
export interface LookupReject {
  readonly source: string;
  readonly line: number | null;
  readonly reason: string;
}

/** A configured way of resolving (IP, port, time) to a subscriber. */
export interface SubscriberLookup {
  readonly kind: string;
  lookup(q: LookupQuery): Promise<LookupOutcome>;
  /** Records of the source that were skipped (CSV rows); empty for live sources. */
  readonly rejects: readonly LookupReject[];
  close(): Promise<void>;
}

/** Reads a subscriber from a row or JSON object whose keys are snake_case or camelCase. */
export function subscriberFrom(o: Record<string, unknown>): Subscriber | string {
  const pick = (snake: string, camel: string): unknown => o[snake] ?? o[camel];
  const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  const customer = text(pick('customer_number', 'customerNumber'));
  if (customer === null) return 'no customer_number';
  if (customer.length > 200) return 'customer_number longer than 200 characters';
  const email = text(pick('email', 'email'));
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) return `e-mail address ${JSON.stringify(email.slice(0, 80))} is not valid`;
  const language = text(pick('language', 'language'));
  if (language !== null && language !== 'ja' && language !== 'en') return `language ${JSON.stringify(language.slice(0, 20))} is not ja or en`;
  const flag = pick('default_mail_unchanged', 'defaultMailUnchanged');
  return {
    customerNumber: customer,
    name: text(pick('name', 'name')),
    email,
    postalAddress: text(pick('postal_address', 'postalAddress'))?.replace(/\\n/g, '\n') ?? null,
    language,
    defaultMailUnchanged: flag === true || flag === 1 || flag === '1' || flag === 'true' || flag === 'yes',
  };
}
