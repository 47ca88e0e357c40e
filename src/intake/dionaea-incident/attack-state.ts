/**
 * What the incident stream has learned about one dionaea connection: who the attacker is and which
 * named vulnerability the attack used. Linked connections (dionaea fetching the bot) share the
 * object of the connection they were linked to, so a vulnerability learned later shows on both.
 */
export interface Attack {
  readonly srcIp: string;
  readonly srcPort: number | null;
  readonly dstIp: string | null;
  readonly dstPort: number | null;
  /** True when the connection was opened by the attacker (accept/reject/pending). */
  readonly inbound: boolean;
  vulnerability: string | null;
  vulnerabilityRaw: string | null;
}

/**
 * Connection id → Attack, bounded: dionaea's ids are Python object ids that are reused once a
 * connection is freed, so entries go on dionaea.connection.free, and the oldest go when the map is
 * full (a stream that never frees must not grow memory without limit).
 */
export class AttackState {
  private readonly map = new Map<string, Attack>();

  constructor(private readonly capacity = 100_000) {}

  get(id: string): Attack | undefined {
    return this.map.get(id);
  }

  set(id: string, attack: Attack): void {
    this.map.delete(id);
    this.map.set(id, attack);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  delete(id: string): void {
    this.map.delete(id);
  }

  get size(): number {
    return this.map.size;
  }
}
