import { createHmac } from 'node:crypto';

/**
 * The opaque key the center sees instead of a customer: HMAC-SHA256(secret, customer number),
 * base64url. Stable, so the center can link one subscriber's incidents; not reversible without
 * the ISP's secret, so the center cannot tell who it is.
 */
export function subscriberKey(secret: string, customerNumber: string): string {
  return createHmac('sha256', secret).update(customerNumber, 'utf8').digest('base64url');
}
