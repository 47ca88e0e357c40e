/**
 * How dionaea's connection_type (log_sqlite) or incident origin suffix (log_incident) relates to
 * the attacker.
 *
 * - inbound ("accept", "reject", "pending"): the remote end opened the connection, so it is the attacker.
 * - outbound ("connect"): dionaea itself connected out, e.g. to fetch a bot binary from the attacker
 *   or the server the shellcode named. The attacker is the peer of the inbound connection it is linked
 *   to. dionaea also reports UDP sessions opened by a remote peer (SIP) as "connect" without a link;
 *   those are taken at face value.
 * - "listen": the honeypot's own listening socket; no attacker at all.
 */
export type ConnectionKind = 'inbound' | 'outbound' | 'listen';

export function connectionKind(type: unknown): ConnectionKind | null {
  switch (type) {
    case 'accept':
    case 'reject':
    case 'pending':
      return 'inbound';
    case 'connect':
      return 'outbound';
    case 'listen':
      return 'listen';
    default:
      return null;
  }
}
