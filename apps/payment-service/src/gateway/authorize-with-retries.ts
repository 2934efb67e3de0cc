import { type AuthorizationAnswer, type AuthorizationRequest, GatewayTimeoutError, type PaymentGateway } from './payment-gateway';

export interface GatewayRetryPolicy {
  /** Authorization attempts before a timing-out gateway counts as a decline. @defaultValue 3 */
  attempts: number;
  /** How long one attempt may take. @defaultValue 3000 */
  timeoutMs: number;
  /** Backoff before retry n is retryBaseMs · 2^(n-1). @defaultValue 100 */
  retryBaseMs: number;
}

export const GATEWAY_TIMEOUT_REASON = 'gateway timeout';

/**
 * Authorizes through the gateway: each attempt is cut off after `timeoutMs`; timeouts are
 * retried with exponential backoff, and after the last one the payment is declined with
 * reason 'gateway timeout'. Any other failure is thrown (the consumer retries the event).
 */
export async function authorizeWithRetries(
  gateway: PaymentGateway,
  request: AuthorizationRequest,
  policy: GatewayRetryPolicy,
  onTimeout: (attempt: number) => void = () => undefined,
): Promise<AuthorizationAnswer & { attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await withTimeout((signal) => gateway.authorize(request, signal), policy.timeoutMs)), attempts: attempt };
    } catch (error) {
      if (!(error instanceof GatewayTimeoutError)) throw error;
      onTimeout(attempt);
      if (attempt >= policy.attempts) return { approved: false, reason: GATEWAY_TIMEOUT_REASON, attempts: attempt };
      await new Promise((resolve) => setTimeout(resolve, policy.retryBaseMs * 2 ** (attempt - 1)));
    }
  }
}

/** Runs `call`, rejecting with GatewayTimeoutError (and aborting the call) after `timeoutMs`. */
export async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new GatewayTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
