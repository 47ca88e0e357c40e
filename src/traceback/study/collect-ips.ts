/**
 * Which IPs a study classifies, from its stored resolutions: the first address of every C&C name
 * (the paper's rule; with several rounds, the first address of each round, so fast-flux names
 * contribute every address they were seen first on) and the server that answered each name's A
 * record. The control list gives the same two roles for benign names. Pure.
 */
import type { IpRole } from '../../storage/repositories/traceback-ips.js';
import type { ResolutionRecord } from '../../storage/repositories/traceback-resolutions.js';

export interface CollectedIp {
  readonly ip: string;
  readonly role: IpRole;
  /** Names that led to it, sorted. */
  readonly names: string[];
}

/**
 * `dnsAddressMap` turns the address a server was queried on into the address it stands for (a
 * laboratory world serves documentation addresses from loopback listeners); unmapped addresses
 * stay as they are.
 */
export function collectStudyIps(resolutions: readonly ResolutionRecord[], dnsAddressMap: ReadonlyMap<string, string> = new Map()): CollectedIp[] {
  const found = new Map<string, { ip: string; role: IpRole; names: Set<string> }>();
  const add = (ip: string, role: IpRole, name: string): void => {
    const key = `${role}\u0000${ip}`;
    const cur = found.get(key) ?? { ip, role, names: new Set<string>() };
    cur.names.add(name);
    found.set(key, cur);
  };
  for (const r of resolutions) {
    const control = r.set === 'control';
    if ((r.status === 'ok' || r.status === 'listed-ip') && r.firstAddress !== null) add(r.firstAddress, control ? 'control-cc' : 'cc', r.name);
    if (r.status === 'ok' && r.authServerIp !== null) add(dnsAddressMap.get(r.authServerIp) ?? r.authServerIp, control ? 'control-dns' : 'dns', r.name);
  }
  return [...found.values()]
    .map((v) => ({ ip: v.ip, role: v.role, names: [...v.names].sort() }))
    .sort((a, b) => (a.role === b.role ? (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0) : a.role < b.role ? -1 : 1));
}
