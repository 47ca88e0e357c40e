/**
 * Domain-name helpers. Names are kept in dns-packet's form: lowercase, no trailing dot,
 * and the root is ".". Comparing names as strings is only safe because the wire pre-check
 * rejects labels that contain a dot.
 */

export const ROOT = '.';

/** Lowercases and strips the trailing dot; "" and "." both become the root. */
export function canonicalName(name: string): string {
  const n = name.trim().toLowerCase().replace(/\.$/, '');
  return n === '' ? ROOT : n;
}

/** Why a name cannot be queried, or null when it can. */
export function nameProblem(name: string): string | null {
  if (name === ROOT) return 'the root is not a host name';
  if (name.length > 253) return `name longer than 253 characters (${name.length})`;
  for (const label of name.split('.')) {
    if (label === '') return 'empty label';
    if (label.length > 63) return `label longer than 63 characters: ${label.slice(0, 20)}…`;
    if (!/^[a-z0-9_-]+$/.test(label)) return `label with characters outside [a-z0-9_-]: ${JSON.stringify(label.slice(0, 40))}`;
  }
  return null;
}

/** True when `name` equals `zone` or lies below it. */
export function isAtOrBelow(name: string, zone: string): boolean {
  if (zone === ROOT) return true;
  return name === zone || name.endsWith(`.${zone}`);
}

/** True when `name` lies strictly below `zone`. */
export function isStrictlyBelow(name: string, zone: string): boolean {
  return name !== zone && isAtOrBelow(name, zone);
}

/** The zone names that enclose `name`, nearest first, ending with the root. */
export function enclosingZones(name: string): string[] {
  if (name === ROOT) return [ROOT];
  const labels = name.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++) out.push(labels.slice(i).join('.'));
  out.push(ROOT);
  return out;
}
