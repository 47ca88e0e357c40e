import { createHash } from 'node:crypto';
import type { IdentificationRequest, Observation, RequestItem } from './requests.js';

/** The request as the JSON document of docs/isp-api.md. */
export function requestToJson(req: IdentificationRequest): string {
  return JSON.stringify(req);
}

export const REQUEST_CSV_HEADER = 'tracking_id,ticket,src_ip,time_utc,src_port,dst_ip,dst_port,protocol';

/** One row per observed attack, so that an ISP can match (IP, port, time) against its NAT logs. */
export function requestToCsv(req: IdentificationRequest): string {
  const lines = [REQUEST_CSV_HEADER];
  for (const item of req.items) {
    for (const o of item.observations) lines.push(csvRow(item, o));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** One CSV line (without its line break) for one observed attack of an item. */
export function csvRow(item: { readonly trackingId: string; readonly ticket: string; readonly srcIp: string }, o: Observation): string {
  return `${item.trackingId},${item.ticket},${item.srcIp},${o.time},${o.srcPort ?? ''},${o.dstIp ?? ''},${o.dstPort ?? ''},${csvText(o.protocol)}`;
}

/**
 * Quotes when needed, and defuses text a spreadsheet would run as a formula (protocol names come
 * from honeypot logs, which attackers write).
 */
function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Who sends the X-ARF reports (the center). */
export interface XarfContact {
  readonly org: string;
  readonly contact: string;
  readonly domain: string;
}

/**
 * An X-ARF v4 report (xarf-spec schemas/v4/xarf-core.json + types/infrastructure-botnet.json): one per
 * incident. v4 files botnet infections as category "infrastructure", type "botnet"; the clean-center
 * notion "infected" travels as a tag.
 */
export interface XarfReport {
  readonly xarf_version: '4.0.0';
  readonly report_id: string;
  readonly timestamp: string;
  readonly reporter: XarfContact;
  readonly sender: XarfContact;
  readonly source_identifier: string;
  readonly source_port?: number;
  readonly category: 'infrastructure';
  readonly type: 'botnet';
  readonly evidence_source: 'honeypot';
  readonly evidence: readonly { content_type: string; description: string; payload: string; hash: string }[];
  readonly confidence: number;
  readonly tags: readonly string[];
  readonly description: string;
  readonly compromise_evidence: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly malware_family?: string;
  readonly infection_vector: 'network_worm';
}

export function requestToXarf(req: IdentificationRequest, reporter: XarfContact): XarfReport[] {
  return req.items.map((item) => itemToXarf(item, reporter));
}

/** The X-ARF report of one item. */
export function itemToXarf(item: RequestItem, reporter: XarfContact): XarfReport {
  const first = item.observations[0];
  const csv = [
    'time_utc,src_ip,src_port,dst_ip,dst_port,protocol',
    ...item.observations.map((o) => [o.time, item.srcIp, o.srcPort ?? '', o.dstIp ?? '', o.dstPort ?? '', csvText(o.protocol)].join(',')),
  ].join('\n');
  const payload = Buffer.from(csv, 'utf8');
  const family = item.botNames.find((b) => !/^(sha256|sha1|md5):/.test(b));
  return {
    xarf_version: '4.0.0',
    report_id: uuidFrom(item.trackingId),
    timestamp: first?.time ?? item.firstSeen,
    reporter,
    sender: reporter,
    source_identifier: item.srcIp,
    ...(first?.srcPort != null && first.srcPort > 0 ? { source_port: first.srcPort } : {}),
    category: 'infrastructure',
    type: 'botnet',
    evidence_source: 'honeypot',
    evidence: [
      {
        content_type: 'text/csv',
        description: `every attack seen from ${item.srcIp}: UTC time and source port (for carrier-grade NAT look-ups)`,
        payload: payload.toString('base64'),
        hash: `sha256:${createHash('sha256').update(payload).digest('hex')}`,
      },
    ],
    confidence: 0.9,
    tags: ['status:infected', `ticket:${item.ticket.toLowerCase()}`, ...item.vulnerabilities.map((v) => `vulnerability:${tagValue(v)}`)].slice(0, 20),
    description: `Source attacked honeypots ${item.attackCount} time(s) between ${item.firstSeen} and ${item.lastSeen}; tracking ID ${item.trackingId}`,
    compromise_evidence: `honeypot observed ${item.attackCount} infection attempt(s)${item.vulnerabilities.length > 0 ? ` exploiting ${item.vulnerabilities.join(', ')}` : ''}`,
    first_seen: item.firstSeen,
    last_seen: item.lastSeen,
    ...(family !== undefined ? { malware_family: family.slice(0, 200) } : {}),
    infection_vector: 'network_worm',
  };
}

/** X-ARF wants a UUID v4 report id; deriving it from the tracking ID keeps re-downloads identical. */
function uuidFrom(trackingId: string): string {
  const h = createHash('sha256').update(`xarf:${trackingId}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function tagValue(s: string): string {
  const v = s.toLowerCase().replace(/[^a-z0-9_+.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return v === '' ? 'unknown' : v;
}
