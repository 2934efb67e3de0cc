import type { AttemptResult } from './webhook-retry';
import { signWebhook, WEBHOOK_HEADERS } from './webhook-signature';

/** What one delivery attempt sends. */
export interface OutgoingWebhook {
  id: string;
  endpoint: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempt: number;
}

/** The receiver's answer, cut to this length, goes into the attempt's error (enough to see why). */
const ANSWER_KEPT = 300;

/**
 * POSTs one delivery, signed over this attempt's timestamp and the exact body sent. Any 2xx is
 * delivered; another status, a network error or no answer within `timeoutMs` is a failed attempt.
 * Redirects are not followed: a receiver that moved is a configuration to fix, not to guess.
 */
export async function sendWebhook(delivery: OutgoingWebhook, secret: string, timeoutMs: number, now: Date): Promise<AttemptResult> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const response = await fetch(delivery.endpoint, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'commerce-reconciliation-webhooks',
        [WEBHOOK_HEADERS.id]: delivery.id,
        [WEBHOOK_HEADERS.event]: delivery.eventType,
        [WEBHOOK_HEADERS.attempt]: String(delivery.attempt),
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
      },
      body,
    });
    const answer = (await response.text()).slice(0, ANSWER_KEPT);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${answer ? `: ${answer}` : ''}` };
  } catch (error) {
    const failure = error as Error & { cause?: { code?: string; message?: string } };
    const reason = failure.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (failure.cause?.code ?? failure.cause?.message ?? failure.message);
    return { ok: false, statusCode: null, error: reason };
  }
}
