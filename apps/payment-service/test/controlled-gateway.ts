import { type AuthorizationAnswer, type AuthorizationRequest, PaymentGateway } from '../src/gateway/payment-gateway';
import { SimulatedPaymentGateway, type SimulatedGatewayOptions } from '../src/gateway/simulated-payment-gateway';

export interface GatewayCallSeen {
  kind: 'capture' | 'void' | 'refund';
  reference: string;
  amountMinor: number;
  callId: string;
}

/** A capture the test holds at the gateway until it lets it go. */
export interface HeldCapture {
  /** True once the service's call reached the gateway and is waiting. */
  readonly waiting: boolean;
  release(): void;
}

/**
 * The simulated gateway's authorizations, with a hand on capture: the test may hold the next
 * capture of one hold (`reference`) until it releases it, and sees every capture, void and refund.
 */
export class ControlledGateway extends PaymentGateway {
  readonly calls: GatewayCallSeen[] = [];
  private readonly holds = new Map<string, { waiting: boolean; released: Promise<void>; release: () => void }>();
  private readonly simulated: SimulatedPaymentGateway;

  constructor(options: SimulatedGatewayOptions) {
    super();
    this.simulated = new SimulatedPaymentGateway(options);
  }

  authorize(request: AuthorizationRequest, signal: AbortSignal): Promise<AuthorizationAnswer> {
    return this.simulated.authorize(request, signal);
  }

  holdNextCapture(reference: string): HeldCapture {
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const hold = { waiting: false, released, release };
    this.holds.set(reference, hold);
    return {
      get waiting() {
        return hold.waiting;
      },
      release: () => hold.release(),
    };
  }

  callsOf(reference: string): GatewayCallSeen[] {
    return this.calls.filter((call) => call.reference === reference);
  }

  async capture(reference: string, amountMinor: number, callId: string): Promise<void> {
    this.calls.push({ kind: 'capture', reference, amountMinor, callId });
    const hold = this.holds.get(reference);
    if (!hold) return;
    this.holds.delete(reference);
    hold.waiting = true;
    await hold.released;
  }

  async void(reference: string, amountMinor: number, callId: string): Promise<void> {
    this.calls.push({ kind: 'void', reference, amountMinor, callId });
  }

  async refund(reference: string, amountMinor: number, callId: string): Promise<void> {
    this.calls.push({ kind: 'refund', reference, amountMinor, callId });
  }
}
