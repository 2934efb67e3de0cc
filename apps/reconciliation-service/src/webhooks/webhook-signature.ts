import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of every delivery (README: how a receiver verifies one). */
export const WEBHOOK_HEADERS = {
  /** The delivery's id, the same on every attempt: a receiver deduplicates on it. */
  id: 'x-reconciliation-delivery',
  event: 'x-reconciliation-event',
  attempt: 'x-reconciliation-attempt',
  /** Unix seconds when this attempt was signed. */
  timestamp: 'x-reconciliation-timestamp',
  /** `sha256=` and the hex HMAC-SHA256, keyed by WEBHOOK_SECRET, of `<timestamp>.<body>`. */
  signature: 'x-reconciliation-signature',
} as const;

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the timestamp and the raw body, compare in
 * constant time, and refuse a timestamp further than `toleranceSeconds` from its clock (a replay
 * of a captured request).
 */
export function verifyWebhook(
  secret: string,
  request: { timestamp: string | undefined; signature: string | undefined; body: string },
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(request.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds || !request.signature) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, request.body));
  const given = Buffer.from(request.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
