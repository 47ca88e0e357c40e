/**
 * Reads one decoded reply from a server of `zone` to an A query for `qname` and says what it
 * means for iterative resolution. Pure: no I/O, no cache. Only records inside the zone's
 * bailiwick are believed, so a server cannot plant data for names it does not serve.
 */
import type { DecodedPacket } from './message.js';
import type { NameServer } from './delegation-cache.js';
import type { ProblemKind } from './types.js';
import { canonicalName, isAtOrBelow, isStrictlyBelow } from './names.js';

export type Classified =
  /** Authoritative A records for the end of the chain (chain may be empty). */
  | { readonly kind: 'answer'; readonly addresses: string[]; readonly chain: string[]; readonly ttl: number }
  /** The chain leaves this zone (or stops short); resolution continues at `next`. */
  | { readonly kind: 'cname'; readonly chain: string[]; readonly next: string }
  | { readonly kind: 'nxdomain'; readonly chain: string[] }
  | { readonly kind: 'nodata'; readonly chain: string[] }
  | { readonly kind: 'referral'; readonly zone: string; readonly servers: NameServer[]; readonly ttl: number }
  /** The server is of no use for this name: skip it. */
  | { readonly kind: 'lame'; readonly problem: ProblemKind; readonly reason: string };

interface Rr {
  readonly name: string;
  readonly type: string;
  readonly data: unknown;
  readonly ttl: number;
  readonly class: string;
}

function records(list: DecodedPacket['answers']): Rr[] {
  const out: Rr[] = [];
  for (const a of list ?? []) {
    const r = a as { name?: unknown; type?: unknown; data?: unknown; ttl?: unknown; class?: unknown };
    if (typeof r.name !== 'string' || typeof r.type !== 'string') continue;
    out.push({
      name: canonicalName(r.name),
      type: r.type,
      data: r.data,
      ttl: typeof r.ttl === 'number' ? r.ttl : 0,
      class: typeof r.class === 'string' ? r.class : 'IN',
    });
  }
  return out;
}

export function classifyReply(packet: DecodedPacket, zone: string, qname: string, maxChain: number): Classified {
  // dns-packet decodes rcode but its type declarations omit it.
  const rcode = (packet as { rcode?: string }).rcode ?? 'NOERROR';
  const aa = packet.flag_aa === true;
  const answers = records(packet.answers).filter((r) => r.class === 'IN' && isAtOrBelow(r.name, zone));

  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') {
    if (rcode === 'REFUSED') return { kind: 'lame', problem: 'refused', reason: 'REFUSED' };
    if (rcode === 'SERVFAIL') return { kind: 'lame', problem: 'servfail', reason: 'SERVFAIL' };
    return { kind: 'lame', problem: 'lame', reason: `rcode ${rcode}` };
  }

  const chain: string[] = [];
  let cur = qname;
  for (;;) {
    const a = answers.filter((r) => r.name === cur && r.type === 'A' && typeof r.data === 'string');
    if (a.length > 0) {
      if (!aa) return { kind: 'lame', problem: 'lame', reason: 'answer without the AA bit (not authoritative)' };
      return { kind: 'answer', addresses: a.map((r) => r.data as string), chain, ttl: Math.min(...a.map((r) => r.ttl)) };
    }
    const cname = answers.find((r) => r.name === cur && r.type === 'CNAME' && typeof r.data === 'string');
    if (cname === undefined) break;
    if (!aa) return { kind: 'lame', problem: 'lame', reason: 'CNAME without the AA bit (not authoritative)' };
    const next = canonicalName(cname.data as string);
    if (next === qname || chain.includes(next)) return { kind: 'lame', problem: 'loop', reason: `CNAME loop at ${next}` };
    chain.push(next);
    if (chain.length > maxChain) return { kind: 'lame', problem: 'loop', reason: `CNAME chain longer than ${maxChain}` };
    cur = next;
    if (!isAtOrBelow(cur, zone)) return { kind: 'cname', chain, next: cur };
  }

  if (chain.length > 0) {
    if (rcode === 'NXDOMAIN') return { kind: 'nxdomain', chain };
    // The server stopped short (the target may sit below a cut inside this zone): ask again for it.
    return { kind: 'cname', chain, next: cur };
  }

  if (rcode === 'NXDOMAIN') {
    return aa ? { kind: 'nxdomain', chain } : { kind: 'lame', problem: 'lame', reason: 'NXDOMAIN without the AA bit' };
  }

  const ns = records(packet.authorities).filter((r) => r.type === 'NS' && r.class === 'IN' && typeof r.data === 'string');
  const owner = ns[0]?.name;
  if (owner !== undefined && !(aa && owner === zone)) {
    if (!isStrictlyBelow(owner, zone) || !isAtOrBelow(qname, owner)) {
      return { kind: 'lame', problem: 'loop', reason: `referral to ${owner} is not a step down from ${zone} towards ${qname}` };
    }
    return referral(packet, zone, owner, ns.filter((r) => r.name === owner));
  }
  if (aa) return { kind: 'nodata', chain };
  return { kind: 'lame', problem: 'lame', reason: 'no answer, no referral and not authoritative' };
}

function referral(packet: DecodedPacket, zone: string, child: string, ns: Rr[]): Classified {
  const glue = records(packet.additionals).filter(
    (r) => (r.type === 'A' || r.type === 'AAAA') && r.class === 'IN' && typeof r.data === 'string' && isAtOrBelow(r.name, zone),
  );
  const servers: NameServer[] = [];
  const seen = new Set<string>();
  for (const r of ns) {
    const name = canonicalName(r.data as string);
    if (seen.has(name)) continue;
    seen.add(name);
    const ips = glue.filter((g) => g.name === name).map((g) => (g.data as string).toLowerCase());
    servers.push({ name, ips: [...new Set(ips)] });
  }
  const ttl = Math.min(...ns.map((r) => r.ttl));
  return { kind: 'referral', zone: child, servers, ttl };
}
