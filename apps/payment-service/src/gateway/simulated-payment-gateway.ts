import { type AuthorizationAnswer, type AuthorizationRequest, PaymentGateway } from './payment-gateway';

/** The tokens the simulated gateway knows; any other token is declined. */
export const TEST_TOKENS = {
  approve: 'tok_ok',
  decline: 'tok_decline',
  /** Never answers: every attempt times out. */
  timeout: 'tok_timeout',
  /** Approves after `slowMs`. */
  slow: 'tok_slow',
} as const;

export interface SimulatedGatewayOptions {
  /** How long `tok_slow` takes to approve. @defaultValue 2000 */
  slowMs?: number;
}

/** Deterministic by token, so tests and demos are exact. Capture, void and refund always succeed. */
export class SimulatedPaymentGateway extends PaymentGateway {
  private readonly slowMs: number;

  constructor(options: SimulatedGatewayOptions = {}) {
    super();
    this.slowMs = options.slowMs ?? 2000;
  }

  async authorize(request: AuthorizationRequest, signal: AbortSignal): Promise<AuthorizationAnswer> {
    const approved: AuthorizationAnswer = { approved: true, reference: `sim_auth_${request.paymentId}` };
    switch (request.token) {
      case TEST_TOKENS.approve:
        return approved;
      case TEST_TOKENS.decline:
        return { approved: false, reason: 'card declined' };
      case TEST_TOKENS.timeout:
        await untilAborted(signal);
        throw new Error('unreachable: untilAborted only rejects');
      case TEST_TOKENS.slow:
        await delay(this.slowMs, signal);
        return approved;
      default:
        return { approved: false, reason: 'unknown token' };
    }
  }

  async capture(): Promise<void> {
    // The simulation keeps no ledger: the service's own tables are the record.
  }

  async void(): Promise<void> {
    // As capture.
  }

  async refund(): Promise<void> {
    // As capture.
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
