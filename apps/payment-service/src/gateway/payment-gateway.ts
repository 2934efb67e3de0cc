/**
 * The payment gateway as payment-service sees it. The simulated one decides by token; a real
 * provider's client would implement the same class (it is also the Nest injection token).
 */
export interface AuthorizationRequest {
  paymentId: string;
  orderId: string;
  /** Opaque token from OrderPlaced, e.g. `tok_ok`. */
  token: string;
  amountMinor: number;
  currency: string;
}

export type AuthorizationAnswer = { approved: true; reference: string } | { approved: false; reason: string };

/** The gateway did not answer in time; retried with backoff, then treated as a decline. */
export class GatewayTimeoutError extends Error {
  constructor(readonly afterMs: number) {
    super(`payment gateway did not answer within ${afterMs} ms`);
    this.name = 'GatewayTimeoutError';
  }
}

/**
 * Capture, void and refund carry `callId`, the service's record of the call: the same call may be
 * sent again (a crash between sending and recording its outcome, or a concurrent copy of the
 * event), and a gateway applies one call id once.
 */
export abstract class PaymentGateway {
  /** Places a hold of `amountMinor`; should stop waiting when `signal` aborts. One hold per payment. */
  abstract authorize(request: AuthorizationRequest, signal: AbortSignal): Promise<AuthorizationAnswer>;
  /** Takes `amountMinor` of the hold `reference`. */
  abstract capture(reference: string, amountMinor: number, callId: string): Promise<void>;
  /** Releases `amountMinor` of the hold that will never be captured. */
  abstract void(reference: string, amountMinor: number, callId: string): Promise<void>;
  /** Gives back `amountMinor` of what was captured. */
  abstract refund(reference: string, amountMinor: number, callId: string): Promise<void>;
}
