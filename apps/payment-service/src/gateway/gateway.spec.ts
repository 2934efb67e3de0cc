import { authorizeWithRetries, GATEWAY_TIMEOUT_REASON, withTimeout } from './authorize-with-retries';
import { type AuthorizationRequest, GatewayTimeoutError, PaymentGateway } from './payment-gateway';
import { SimulatedPaymentGateway } from './simulated-payment-gateway';

const request = (token: string): AuthorizationRequest => ({ paymentId: 'pay-1', orderId: 'order-1', token, amountMinor: 5000, currency: 'EUR' });
const policy = { attempts: 3, timeoutMs: 40, retryBaseMs: 5 };

describe('SimulatedPaymentGateway through authorizeWithRetries', () => {
  const gateway = new SimulatedPaymentGateway({ slowMs: 10 });

  it('approves tok_ok at the first attempt', async () => {
    await expect(authorizeWithRetries(gateway, request('tok_ok'), policy)).resolves.toEqual({
      approved: true,
      reference: 'sim_auth_pay-1',
      attempts: 1,
    });
  });

  it('declines tok_decline, and unknown tokens with reason "unknown token"', async () => {
    await expect(authorizeWithRetries(gateway, request('tok_decline'), policy)).resolves.toEqual({
      approved: false,
      reason: 'card declined',
      attempts: 1,
    });
    await expect(authorizeWithRetries(gateway, request('tok_nope'), policy)).resolves.toEqual({
      approved: false,
      reason: 'unknown token',
      attempts: 1,
    });
  });

  it('approves tok_slow when it answers within the timeout', async () => {
    await expect(authorizeWithRetries(gateway, request('tok_slow'), policy)).resolves.toMatchObject({ approved: true, attempts: 1 });
  });

  it('retries tok_timeout with backoff, then declines with reason "gateway timeout"', async () => {
    const timeouts: number[] = [];
    const started = Date.now();
    const answer = await authorizeWithRetries(gateway, request('tok_timeout'), policy, (attempt) => timeouts.push(attempt));
    expect(answer).toEqual({ approved: false, reason: GATEWAY_TIMEOUT_REASON, attempts: 3 });
    expect(timeouts).toEqual([1, 2, 3]);
    // three cut-off attempts plus backoffs of 5 and 10 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 + 15 - 5);
  });
});

describe('authorizeWithRetries with a strict fake gateway', () => {
  class ScriptedGateway extends PaymentGateway {
    calls = 0;
    constructor(private readonly script: Array<'timeout' | 'approve' | 'explode'>) {
      super();
    }
    async authorize(_request: AuthorizationRequest, signal: AbortSignal) {
      const step = this.script[this.calls++];
      if (step === undefined) throw new Error('unexpected call to authorize');
      if (step === 'explode') throw new Error('connection refused');
      if (step === 'timeout') return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return { approved: true as const, reference: 'ref-1' };
    }
    capture(): Promise<void> {
      throw new Error('unexpected call to capture');
    }
    void(): Promise<void> {
      throw new Error('unexpected call to void');
    }
    refund(): Promise<void> {
      throw new Error('unexpected call to refund');
    }
  }

  it('approves on the attempt after a timeout', async () => {
    const gateway = new ScriptedGateway(['timeout', 'approve']);
    await expect(authorizeWithRetries(gateway, request('x'), policy)).resolves.toEqual({ approved: true, reference: 'ref-1', attempts: 2 });
    expect(gateway.calls).toBe(2);
  });

  it('lets failures other than timeouts through for the consumer to retry', async () => {
    await expect(authorizeWithRetries(new ScriptedGateway(['explode']), request('x'), policy)).rejects.toThrow('connection refused');
  });
});

describe('withTimeout', () => {
  it('aborts the call and rejects with GatewayTimeoutError', async () => {
    let aborted = false;
    const call = (signal: AbortSignal) =>
      new Promise<string>((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        }),
      );
    await expect(withTimeout(call, 10)).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect(aborted).toBe(true);
  });

  it('returns what answers in time', async () => {
    await expect(withTimeout(async () => 'ok', 50)).resolves.toBe('ok');
  });
});
