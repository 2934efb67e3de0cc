/** How deliveries are retried (the WEBHOOK_* settings). */
export interface RetryPolicy {
  /** Delay before the second attempt; doubled for each further one. */
  backoffMs: number;
  /** No delay grows past this. */
  maxBackoffMs: number;
}

/** The delay after the `attempt`-th failed attempt (1-based): backoffMs × 2^(attempt−1), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^31 ms is 24 days: past any sane cap, and it keeps the arithmetic exact.
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.min(exponent, 31));
}

export type AttemptResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export type DeliveryState = { status: 'DELIVERED' } | { status: 'PENDING'; nextAttemptAt: Date } | { status: 'FAILED' };

/**
 * Where a delivery stands after its `attempt`-th attempt: delivered on any 2xx; else tried again
 * after the backoff, until `maxAttempts` attempts have failed.
 */
export function afterAttempt(result: AttemptResult, attempt: number, maxAttempts: number, now: Date, policy: RetryPolicy): DeliveryState {
  if (result.ok) return { status: 'DELIVERED' };
  if (attempt >= maxAttempts) return { status: 'FAILED' };
  return { status: 'PENDING', nextAttemptAt: new Date(now.getTime() + backoffDelay(attempt, policy)) };
}
