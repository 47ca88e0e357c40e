import type { IdentificationRequest, RequestItem } from './center-client.js';
import type { IspClientContext } from './context.js';
import { resolveItem } from './lookup/resolve-item.js';
import type { LookupReject, Subscriber } from './lookup/types.js';
import { subscriberKey } from './subscriber-key.js';

export interface PullSummary {
  readonly requests: number;
  readonly items: number;
  readonly alreadyKnown: number;
  readonly identified: number;
  readonly notFound: number;
  readonly notOurCustomer: number;
  /** Lookups that failed (retried on the next pull; nothing is answered for them). */
  readonly errors: number;
  /** Items the center sent that were not usable. */
  readonly badItems: number;
  readonly lookupRejects: readonly LookupReject[];
}

/**
 * Fetches the open identification requests and resolves each new incident to a subscriber,
 * locally. The subscriber's data is stored only here; the opaque key is what `answer` uploads.
 */
export async function pullRequests(ctx: IspClientContext, onProgress?: (done: number, total: number) => void): Promise<PullSummary> {
  const summaries = await ctx.center.listRequests();
  const open = summaries.filter((s) => typeof s.requestId === 'string' && !(s.answeredCount >= s.itemCount));
  const lookup = await ctx.lookup();
  const counts = { items: 0, alreadyKnown: 0, identified: 0, notFound: 0, notOurCustomer: 0, errors: 0, badItems: 0 };
  const requests: IdentificationRequest[] = [];
  for (const s of open) requests.push(await ctx.center.getRequest(s.requestId));
  const total = requests.reduce((n, r) => n + r.items.length, 0);
  for (const req of requests) {
    for (const item of req.items) {
      counts.items++;
      onProgress?.(counts.items, total);
      if (!usableItem(item)) {
        counts.badItems++;
        continue;
      }
      const known = await ctx.db.selectFrom('items').select('result').where('tracking_id', '=', item.trackingId).executeTakeFirst();
      if (known !== undefined && known.result !== 'error') {
        counts.alreadyKnown++;
        continue;
      }
      const r = await resolveItem(lookup, item.srcIp, item.observations, ctx.config.maxObservationsPerItem);
      const now = ctx.now().toISOString();
      const key = r.result === 'identified' ? await storeSubscriber(ctx, r.subscriber, now) : null;
      const row = {
        tracking_id: item.trackingId,
        request_id: req.requestId,
        ticket: item.ticket,
        src_ip: item.srcIp,
        first_seen: item.firstSeen,
        last_seen: item.lastSeen,
        attack_count: item.attackCount,
        bot_names: JSON.stringify(item.botNames ?? []),
        vulnerabilities: JSON.stringify(item.vulnerabilities ?? []),
        tracking_url: item.trackingUrl,
        observation_count: item.observations.length,
        result: r.result,
        subscriber_key: key,
        lookup_detail: r.detail,
        looked_up_at: now,
        answered_at: null,
        answer_rejected: null,
      };
      await ctx.db
        .insertInto('items')
        .values(row)
        .onConflict((oc) => oc.column('tracking_id').doUpdateSet({ result: row.result, subscriber_key: row.subscriber_key, lookup_detail: row.lookup_detail, looked_up_at: row.looked_up_at }))
        .execute();
      if (r.result === 'identified') counts.identified++;
      else if (r.result === 'not-found') counts.notFound++;
      else if (r.result === 'not-our-customer') counts.notOurCustomer++;
      else counts.errors++;
    }
  }
  return { requests: requests.length, ...counts, lookupRejects: lookup.rejects };
}

async function storeSubscriber(ctx: IspClientContext, s: Subscriber, now: string): Promise<string> {
  const key = subscriberKey(ctx.config.keySecret, s.customerNumber);
  const row = {
    subscriber_key: key,
    customer_number: s.customerNumber,
    name: s.name,
    email: s.email,
    postal_address: s.postalAddress,
    language: s.language ?? ctx.config.defaultLanguage,
    default_mail_unchanged: s.defaultMailUnchanged ? 1 : 0,
    updated_at: now,
  };
  const { subscriber_key: _k, customer_number: _c, ...update } = row;
  await ctx.db.insertInto('subscribers').values(row).onConflict((oc) => oc.column('subscriber_key').doUpdateSet(update)).execute();
  return key;
}

const str = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The center is trusted, not blindly: an item that would break the mail or the database is skipped. */
function usableItem(i: RequestItem): boolean {
  return (
    str(i.trackingId, 200) &&
    str(i.ticket, 64) &&
    str(i.srcIp, 64) &&
    str(i.firstSeen, 40) &&
    str(i.lastSeen, 40) &&
    str(i.trackingUrl, 2000) &&
    /^https?:\/\//.test(i.trackingUrl) &&
    Number.isInteger(i.attackCount) &&
    Array.isArray(i.observations) &&
    i.observations.every((o) => typeof o === 'object' && o !== null && typeof o.time === 'string') &&
    (i.botNames === undefined || (Array.isArray(i.botNames) && i.botNames.every((b) => typeof b === 'string'))) &&
    (i.vulnerabilities === undefined || (Array.isArray(i.vulnerabilities) && i.vulnerabilities.every((b) => typeof b === 'string')))
  );
}
