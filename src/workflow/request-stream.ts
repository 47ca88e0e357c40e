import type { Storage } from '../storage/schema.js';
import { csvRow, itemToXarf, REQUEST_CSV_HEADER, type XarfContact } from './request-export.js';
import {
  itemObservations,
  requestHeader,
  requestItemJsonPages,
  requestItemPages,
  SharedLists,
  toRequestItem,
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
 * getRequest. A chunk is a string or a Buffer of UTF-8 text (whole characters: a page ends between
 * two items). Null when the request does not exist or is another ISP's (checked before any text).
 */
export async function openRequestDownload(
  storage: Storage,
  ispId: string,
  requestId: string,
  format: RequestFormat,
  options: RequestDownloadOptions = {},
): Promise<AsyncIterable<string | Buffer> | null> {
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

async function* jsonChunks(storage: Storage, header: RequestHeader, base: string): AsyncGenerator<string | Buffer> {
  yield `{"requestId":${q(header.requestId)},"isp":${q(header.isp)},"week":${q(header.week)},"createdAt":${q(header.createdAt)},"items":[`;
  yield* requestItemJsonPages(storage, header.requestId, base);
  yield ']}';
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
