/**
 * Names exempt from S25R even when a rule fires: mail farms of large providers whose PTR names
 * look like end-user lines ("mail-we0-f182.google.com" fires rule 1).
 */

/** A whitelist entry: a domain suffix ("google.com" matches itself and every name below it) or a pattern. */
export type WhitelistEntry = string | RegExp;

/**
 * milter-manager's s25r.conf ships exactly these two (data/applicable-conditions/s25r.conf);
 * as there, they match names below the domain, not the bare domain.
 */
export const DEFAULT_S25R_WHITELIST: readonly WhitelistEntry[] = [/\.google\.com$/, /\.obsmtp\.com$/];

/** A compiled whitelist: true when the normalised name is exempt. */
export type Whitelist = (normalisedName: string) => boolean;

/** Compiles entries once; throws RangeError for an empty suffix, which would exempt everything. */
export function compileWhitelist(entries: readonly WhitelistEntry[]): Whitelist {
  const suffixes: string[] = [];
  const patterns: RegExp[] = [];
  for (const e of entries) {
    if (typeof e === 'string') {
      const s = e.trim().toLowerCase().replace(/^\.+/, '').replace(/\.+$/, '');
      if (s === '') throw new RangeError(`S25R whitelist: empty suffix ${JSON.stringify(e)} would exempt every name`);
      suffixes.push(s);
    } else {
      // A g or y flag makes test() stateful through lastIndex, so the same name would alternate results.
      patterns.push(new RegExp(e.source, e.flags.replace(/[gy]/g, '')));
    }
  }
  return (name) =>
    suffixes.some((s) => name === s || name.endsWith(`.${s}`)) || patterns.some((p) => p.test(name));
}
