import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@commerce/contracts';
import { Outbox } from '@commerce/messaging';
import { createLogger } from '@commerce/platform';
import { authorizeWithRetries, type GatewayRetryPolicy } from '../gateway/authorize-with-retries';
import { type AuthorizationAnswer, PaymentGateway } from '../gateway/payment-gateway';
import { GatewayCalls } from './gateway-calls';
import type { Payment } from './payment.entity';
import { isReadyToAuthorize, type PaymentState } from './payment-rules';
import { type AuthorizationHalf, PaymentStore, stateOf, withHalf } from './payment-store';

export const GATEWAY_RETRY_POLICY = Symbol('GATEWAY_RETRY_POLICY');

/** Authorization: waits for the token (OrderPlaced) and the amount (InventoryReserved), then places the hold. */
@Injectable()
export class PaymentAuthorizationService {
  private readonly log = createLogger('payment-service');

  constructor(
    private readonly store: PaymentStore,
    private readonly calls: GatewayCalls,
    private readonly gateway: PaymentGateway,
    private readonly outbox: Outbox,
    @Inject(GATEWAY_RETRY_POLICY) private readonly retryPolicy: GatewayRetryPolicy,
  ) {}

  /** OrderPlaced: keep the token (and the order's total); authorize if the reservation is already here. */
  recordOrder(event: EventEnvelope<'OrderPlaced'>): Promise<void> {
    const { paymentToken, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(event.orderId, { kind: 'order', paymentToken, totalMinor, currency });
  }

  /** InventoryReserved: keep the amount to authorize; authorize if the token is already here. */
  recordReservation(event: EventEnvelope<'InventoryReserved'>): Promise<void> {
    const { reservationId, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(event.orderId, { kind: 'reservation', reservationId, totalMinor, currency });
  }

  /**
   * Whichever half arrives second authorizes. The gateway may take seconds, so the row is locked
   * only to record the half and, after the gateway answered, to apply the answer, each in a short
   * transaction. The answer applies only if the payment still waits for it: a cancellation may
   * have come first (the approval is then released at the gateway), or a concurrent copy of this
   * event (one hold per payment: nothing to do). A crash before the answer is applied leaves the
   * payment PENDING, so the redelivered event authorizes again, and gets the same hold.
   */
  private async authorizeWhenReady(orderId: string, half: AuthorizationHalf): Promise<void> {
    const { payment, state, releases } = await this.store.transaction(async (manager) => {
      const payment = await this.store.lockOrCreate(manager, orderId);
      await this.store.recordHalf(manager, payment.paymentId, half);
      const releases = (await this.calls.pending(manager, payment.paymentId)).filter((call) => call.kind === 'release');
      return { payment, state: withHalf(stateOf(payment), half), releases };
    });
    await this.calls.complete(releases); // left by a crash after an unwanted approval
    if (!isReadyToAuthorize(state)) {
      this.log.info({ paymentId: payment.paymentId, status: payment.status, half: half.kind }, 'recorded; not authorizing now');
      return;
    }
    const amountMinor = state.amountToAuthorizeMinor ?? 0;
    const currency = payment.currency ?? half.currency;
    const answer = await this.callGateway(payment, state, currency);

    const release = await this.store.transaction(async (manager) => {
      const current = await this.store.lockById(manager, payment.paymentId);
      const { paymentId } = current;
      if (isReadyToAuthorize(stateOf(current))) {
        if (answer.approved) {
          await this.store.markAuthorized(manager, current, amountMinor, answer.reference);
          this.log.info({ paymentId, amountMinor }, 'payment authorized');
          await this.outbox.emit(manager, 'PaymentAuthorized', { paymentId, amountMinor, currency });
        } else {
          await this.store.markDeclined(manager, current, answer.reason);
          this.log.info({ paymentId, reason: answer.reason }, 'payment declined');
          await this.outbox.emit(manager, 'PaymentDeclined', { paymentId, reason: answer.reason });
        }
        return null;
      }
      if (!answer.approved || current.gatewayReference === answer.reference) {
        this.log.info({ paymentId, status: current.status }, 'gateway answer not applied: the payment no longer waits for it');
        return null;
      }
      return this.calls.record(manager, { paymentId, kind: 'release', amountMinor, reference: answer.reference });
    });
    if (release) await this.calls.complete([release]);
  }

  private async callGateway(payment: Payment, state: PaymentState, currency: string): Promise<AuthorizationAnswer> {
    const amountMinor = state.amountToAuthorizeMinor ?? 0;
    // PaymentAuthorized carries a positive amount; a free order has nothing to hold.
    if (amountMinor <= 0) return { approved: false, reason: 'nothing to authorize' };
    return authorizeWithRetries(
      this.gateway,
      { paymentId: payment.paymentId, orderId: payment.orderId, token: state.paymentToken ?? '', amountMinor, currency },
      this.retryPolicy,
      (attempt) => this.log.warn({ paymentId: payment.paymentId, attempt }, 'payment gateway timed out'),
    );
  }
}
