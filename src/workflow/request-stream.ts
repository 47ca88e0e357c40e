import type { Storage } from '../storage/schema.js';
import { csvRow, itemToXarf, REQUEST_CSV_HEADER, type XarfContact } from './request-export.js';
import {
  itemObservations,
  needsCut,
  requestHeader,
  requestItemPages,
  SharedLists,
  toRequestItem,
  type ItemRow,
  type RequestHeader,
  type RequestOptions,
} from './requests.js';

export type RequestFormat = 'json' | 'csv' | 'xarf';

export interface RequestDownloadOptions extends RequestOptions {
  /** Needed for the X-ARF format: who sends the reports. */
  readonly reporter?: XarfContact;
}

/**
 * A request download as text chunks, a page of items each, read from the database as the consumer
 * asks for more: a 100,000-item request is never held as one object or one string, and other calls
 * are served between two pages. The text equals requestToJson / requestToCsv / requestToXarf of
 * getRequest. Null when the request does not exist or is another ISP's (checked before any text).
 */
export async function openRequestDownload(
  storage: Storage,
  ispId: string,
  requestId: string,
  format: RequestFormat,
  options: RequestDownloadOptions = {},
): Promise<AsyncIterable<string> | null> {
  const header = await requestHeader(storage, ispId, requestId);
  if (header === null) return null;
  const base = options.publicUrl ?? '';
  if (format === 'csv') return csvChunks(storage, header);
  if (format === 'xarf') {
    if (options.reporter === undefined) throw new Error('an X-ARF download needs the reporter');
    return xarfChunks(storage, header, base, options.reporter);
  }
  return jsonChunks(storage, header, base);
}

const q = (s: string): string => JSON.stringify(s);

async function* jsonChunks(storage: Storage, header: RequestHeader, base: string): AsyncGenerator<string> {
  yield `{"requestId":${q(header.requestId)},"isp":${q(header.isp)},"week":${q(header.week)},"createdAt":${q(header.createdAt)},"items":[`;
  const lists = new SharedLists();
  let first = true;
  for await (const page of requestItemPages(storage, header.requestId)) {
    const parts = page.map((r) => itemJson(r, base, lists));
    yield first ? parts.join(',') : `,${parts.join(',')}`;
    first = false;
  }
  yield ']}';
}

/** JSON.stringify of toRequestItem's result, without building it: stored observations pass through as text. */
function itemJson(r: ItemRow, base: string, lists: SharedLists): string {
  let observations: string;
  let count: number;
  if (r.observations !== null && !needsCut(r)) {
    // Stored in the served shape, one entry per attack, so attack_count is their number.
    observations = r.observations;
    count = Number(r.attack_count);
  } else {
    const list = itemObservations(r);
    observations = JSON.stringify(list);
    count = list.length > 0 ? list.length : Number(r.attack_count);
  }
  return (
    `{"trackingId":${q(r.tracking_id)},"ticket":${q(r.ticket)},"srcIp":${q(r.src_ip)},"firstSeen":${q(r.first_seen)},"lastSeen":${q(r.observed_until)},` +
    `"attackCount":${count},"botNames":${lists.json(r.bot_names)},"vulnerabilities":${lists.json(r.vulnerabilities)},` +
    `"trackingUrl":${q(`${base}/t/${r.tracking_id}`)},"observations":${observations}}`
  );
}

async function* csvChunks(storage: Storage, header: RequestHeader): AsyncGenerator<string> {
  yield `${REQUEST_CSV_HEADER}\r\n`;
  for await (const page of requestItemPages(storage, header.requestId)) {
    let text = '';
    for (const r of page) {
      const item = { trackingId: r.tracking_id, ticket: r.ticket, srcIp: r.src_ip };
      for (const o of itemObservations(r)) text += `${csvRow(item, o)}\r\n`;
    }
    yield text;
  }
}

async function* xarfChunks(storage: Storage, header: RequestHeader, base: string, reporter: XarfContact): AsyncGenerator<string> {
  yield '[';
  const lists = new SharedLists();
  let first = true;
  for await (const page of requestItemPages(storage, header.requestId)) {
    const parts = page.map((r) => JSON.stringify(itemToXarf(toRequestItem(r, base, lists), reporter)));
    yield first ? parts.join(',') : `,${parts.join(',')}`;
    first = false;
  }
  yield ']';
}
