/**
 * The ISP clients of bench/isp-api.ts, on a thread of their own: an ISP's client is another
 * machine, so its work (HTTP parsing, reading 50 MB bodies, writing its CSV) must not run on the
 * center's event loop and count as the center's latency. Phase 1 on start, phase 2 on message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { answersCsv } from './answers-csv.js';

const { base, token, clients: C, rounds: R } = workerData as { base: string; token: string; clients: number; rounds: number };
const auth = { authorization: `Bearer ${token}` };
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const lat: Record<string, number[]> = { list: [], json: [], csv: [], upload: [] };

/** One call; the body is read whole, as bytes, and returned as text only when asked for. */
async function call(kind: string, url: string, init: RequestInit = {}, asText = true): Promise<{ text: string; bytes: number }> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${base}${url}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
  const body = Buffer.from(await res.arrayBuffer());
  lat[kind]!.push(ms(t));
  if (!res.ok) throw new Error(`${kind} ${res.status}: ${body.subarray(0, 300).toString()}`);
  return { text: asText ? body.toString('utf8') : '', bytes: body.length };
}

// Phase 1: every client lists and downloads the week's request, R rounds.
let t0 = process.hrtime.bigint();
let bytes = 0;
let trackingIds: string[] = [];
await Promise.all(
  Array.from({ length: C }, async (_, c) => {
    for (let r = 0; r < R; r++) {
      const list = JSON.parse((await call('list', '/api/isp/v1/requests')).text) as { requests: { requestId: string }[] };
      const id = encodeURIComponent(list.requests[0]!.requestId);
      // The tracking IDs the clients answer, as an ISP learns them: from a downloaded request.
      const learn = c === 0 && r === 0;
      const json = await call('json', `/api/isp/v1/requests/${id}?format=json`, {}, learn);
      bytes += json.bytes;
      if (learn) trackingIds = (JSON.parse(json.text) as { items: { trackingId: string }[] }).items.map((it) => it.trackingId);
      // Awaited first: `bytes += await …` would read bytes before the await and lose other clients' counts.
      const csv = await call('csv', `/api/isp/v1/requests/${id}?format=csv`, {}, false);
      bytes += csv.bytes;
    }
  }),
);
parentPort!.postMessage({ phase: 'download', ms: ms(t0), bytes, lat, trackingIds });

// Phase 2 (when told): each client uploads its share of the answers as CSV, concurrently.
parentPort!.once('message', async () => {
  const shares = Array.from({ length: C }, (_, c) => trackingIds.filter((_, i) => i % C === c));
  // Written before the clock starts: the goal is the center's time, not the client's.
  const bodies = shares.map(answersCsv);
  t0 = process.hrtime.bigint();
  const applied = await Promise.all(
    bodies.map(async (body) => (JSON.parse((await call('upload', '/api/isp/v1/answers', { method: 'POST', headers: { 'content-type': 'text/csv' }, body })).text) as { applied: number }).applied),
  );
  parentPort!.postMessage({ phase: 'upload', ms: ms(t0), rows: applied.reduce((a, b) => a + b, 0), lat });
  parentPort!.close();
});
