/**
 * The answers an ISP client sends for a list of tracking IDs, as CSV: every fifth one not found,
 * the others identified under one of 40,000 subscriber keys (so that keys repeat: one user, several
 * incidents). Used by the upload through the service alone (bench/isp-api.ts) and by each client's
 * upload over HTTP (bench/isp-clients.ts).
 */
export function answersCsv(trackingIds: readonly string[]): string {
  const lines = trackingIds.map((id, i) => (i % 5 === 0 ? `${id},not-found,` : `${id},identified,key-${i % 40000}`));
  return `${['tracking_id,result,subscriber_key', ...lines].join('\n')}\n`;
}
