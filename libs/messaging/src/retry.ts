/**
 * A failure that retrying cannot fix (the message is malformed, or names something that
 * cannot exist): the consumer dead-letters it at once instead of retrying.
 */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export interface RetryPolicy {
  /** Attempts before a failing message is dead-lettered. @defaultValue 5 */
  maxAttempts: number;
  /** Delay before the second attempt. @defaultValue 100 */
  initialDelayMs: number;
  /** Upper bound of one delay. @defaultValue 5000 */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 5000 };

/** Exponential backoff with jitter: attempt n waits between half and all of min(max, initial·2^(n-1)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
