import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@commerce/contracts';
import { Outbox } from '@commerce/messaging';
import { createLogger } from '@commerce/platform';
import { authorizeWithRetries, type GatewayRetryPolicy } from '../gateway/authorize-with-retries';
import { type AuthorizationAnswer, PaymentGateway } from '../gateway/payment-gateway';
import { type DecidedCall, GatewayCalls } from './gateway-calls';
import { isReadyToAuthorize, type PaymentState } from './payment-rules';
import { type AuthorizationHalf, type LockedPayment, PaymentStore, stateOf } from './payment-store';

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
  recordOrder(event: EventEnvelope<'OrderPlaced'>, manager: EntityManager): Promise<void> {
    const { paymentToken, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(manager, event.orderId, { kind: 'order', paymentToken, totalMinor, currency });
  }

  /** InventoryReserved: keep the amount to authorize; authorize if the token is already here. */
  recordReservation(event: EventEnvelope<'InventoryReserved'>, manager: EntityManager): Promise<void> {
    const { reservationId, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(manager, event.orderId, { kind: 'reservation', reservationId, totalMinor, currency });
  }

  /**
   * Whichever half arrives second authorizes. `manager` is the consumed event's transaction (its
   * inbox row). The first half is recorded there under the payment's lock: one transaction. The
   * second half is decided under the lock too, but the gateway may take seconds, so the decision
   * is rolled back to its savepoint (the lock with it) before the call, and the half is recorded
   * with the answer, under the lock again, in the same transaction. The answer applies only if the
   * payment still waits for it: a cancellation may have come first (the approval is then released
   * at the gateway), or a concurrent copy of this event (one hold per payment: nothing to do). A
   * crash before the answer is applied leaves the payment PENDING and the event unrecorded, so the
   * redelivered event authorizes again, and gets the same hold.
   */
  private async authorizeWhenReady(manager: EntityManager, orderId: string, half: AuthorizationHalf): Promise<void> {
    await manager.query('SAVEPOINT payment_decision');
    const payment = await this.store.recordHalf(manager, orderId, half);
    const state = stateOf(payment);
    if (!isReadyToAuthorize(state) && !payment.callsInFlight) {
      this.log.info({ paymentId: payment.paymentId, status: payment.status, half: half.kind }, 'recorded; not authorizing now');
      return;
    }
    await manager.query('ROLLBACK TO SAVEPOINT payment_decision'); // no row lock while the gateway answers
    if (payment.callsInFlight) {
      // Releases left by a crash after an unwanted approval: finished first, then decided again.
      const releases = (await this.calls.pending(manager, payment.paymentId)).filter((call) => call.kind === 'release');
      await this.calls.complete(releases);
      if (releases.length > 0) return this.authorizeWhenReady(manager, orderId, half);
      if (!isReadyToAuthorize(state)) {
        await this.store.recordHalf(manager, orderId, half); // other calls in flight are not ours to finish
        return;
      }
    }
    const amountMinor = state.amountToAuthorizeMinor ?? 0;
    const currency = payment.currency ?? half.currency;
    const answer = await this.callGateway(payment, state, currency);
    const applied = { orderId, half, answer, amountMinor, currency };

    await manager.query('SAVEPOINT payment_answer');
    const release = await this.applyAnswer(manager, applied);
    if (release === null) return;
    // An approval nobody wants: released at the gateway, so recorded first in a transaction of its own.
    await manager.query('ROLLBACK TO SAVEPOINT payment_answer');
    const recorded = await this.store.transaction(async (own) => {
      const again = await this.applyAnswer(own, applied);
      return again && this.calls.record(own, again);
    });
    if (recorded) await this.calls.complete([recorded]);
  }

  /** Records the half and the gateway's answer under the payment's lock; returns the release to make when the answer is not wanted. */
  private async applyAnswer(
    manager: EntityManager,
    { orderId, half, answer, amountMinor, currency }: { orderId: string; half: AuthorizationHalf; answer: AuthorizationAnswer; amountMinor: number; currency: string },
  ): Promise<DecidedCall | null> {
    const current = await this.store.recordHalf(manager, orderId, half);
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
    return { paymentId, kind: 'release', amountMinor, reference: answer.reference };
  }

  private async callGateway(payment: LockedPayment, state: PaymentState, currency: string): Promise<AuthorizationAnswer> {
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
