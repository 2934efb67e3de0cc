import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Payment } from './payment.entity';
import type { PaymentState, PaymentStatus } from './payment-rules';

/** What one upstream event contributes towards an authorization. */
export type AuthorizationHalf =
  | { kind: 'order'; paymentToken: string; totalMinor: number; currency: string }
  | { kind: 'reservation'; reservationId: string; totalMinor: number; currency: string };

/** The figures a payment's captures, refunds and voids move. */
export type PaymentFigures = Pick<PaymentState, 'authorizedMinor' | 'capturedMinor' | 'refundedMinor' | 'voidedMinor'>;

export function stateOf(payment: Payment): PaymentState {
  return {
    status: payment.status,
    paymentToken: payment.paymentToken,
    amountToAuthorizeMinor: payment.amountToAuthorizeMinor,
    cancellationRequested: payment.cancellationRequestedAt !== null,
    authorizedMinor: payment.authorizedMinor,
    capturedMinor: payment.capturedMinor,
    refundedMinor: payment.refundedMinor,
    voidedMinor: payment.voidedMinor,
  };
}

/** The state as it will be once `half` is recorded. */
export function withHalf(state: PaymentState, half: AuthorizationHalf): PaymentState {
  return half.kind === 'order'
    ? { ...state, paymentToken: state.paymentToken ?? half.paymentToken }
    : { ...state, amountToAuthorizeMinor: state.amountToAuthorizeMinor ?? half.totalMinor };
}

/**
 * The payment row: locking and writes, in the caller's transaction. Locks are taken in short
 * transactions of their own (`transaction`), never across a gateway call.
 */
@Injectable()
export class PaymentStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction of its own, so the row locks it takes end with it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The order's payment, row-locked until the transaction ends. */
  lock(manager: EntityManager, orderId: string): Promise<Payment | null> {
    return manager.findOne(Payment, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  lockById(manager: EntityManager, paymentId: string): Promise<Payment> {
    return manager.findOneOrFail(Payment, { where: { paymentId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The order's payment, created PENDING if this is the first we hear of the order; locked. */
  async lockOrCreate(manager: EntityManager, orderId: string): Promise<Payment> {
    await manager.query(`INSERT INTO payment (payment_id, order_id, status) VALUES ($1, $2, 'PENDING') ON CONFLICT (order_id) DO NOTHING`, [
      randomUUID(),
      orderId,
    ]);
    const payment = await this.lock(manager, orderId);
    if (!payment) throw new Error(`payment row for order ${orderId} vanished after insert`);
    return payment;
  }

  /** Keeps what the half brings; the first copy wins, so a redelivered half changes nothing. */
  async recordHalf(manager: EntityManager, paymentId: string, half: AuthorizationHalf): Promise<void> {
    if (half.kind === 'order') {
      await manager.query(
        `UPDATE payment SET payment_token = COALESCE(payment_token, $2), order_total_minor = COALESCE(order_total_minor, $3),
                currency = COALESCE(currency, $4), order_placed_at = COALESCE(order_placed_at, now()), updated_at = now()
          WHERE payment_id = $1`,
        [paymentId, half.paymentToken, half.totalMinor, half.currency],
      );
    } else {
      await manager.query(
        `UPDATE payment SET reservation_id = COALESCE(reservation_id, $2), amount_to_authorize_minor = COALESCE(amount_to_authorize_minor, $3),
                currency = COALESCE(currency, $4), reservation_received_at = COALESCE(reservation_received_at, now()), updated_at = now()
          WHERE payment_id = $1`,
        [paymentId, half.reservationId, half.totalMinor, half.currency],
      );
    }
  }

  async markAuthorized(manager: EntityManager, paymentId: string, amountMinor: number, reference: string): Promise<void> {
    await manager.query(
      `UPDATE payment SET status = 'AUTHORIZED', authorized_minor = $2, gateway_reference = $3, authorized_at = now(), updated_at = now()
        WHERE payment_id = $1`,
      [paymentId, amountMinor, reference],
    );
  }

  async markDeclined(manager: EntityManager, paymentId: string, reason: string): Promise<void> {
    await manager.query(`UPDATE payment SET status = 'DECLINED', decline_reason = $2, declined_at = now(), updated_at = now() WHERE payment_id = $1`, [
      paymentId,
      reason,
    ]);
  }

  async markCancellationRequested(manager: EntityManager, paymentId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE payment SET cancellation_requested_at = now(), cancellation_reason = $2, updated_at = now() WHERE payment_id = $1`,
      [paymentId, reason],
    );
  }

  async markCancelledBeforeAuthorization(manager: EntityManager, paymentId: string): Promise<void> {
    await manager.query(`UPDATE payment SET status = 'CANCELLED_BEFORE_AUTHORIZATION' WHERE payment_id = $1`, [paymentId]);
  }

  /** Stores the figures and the status they give; `voided` stamps voided_at. */
  async saveFigures(manager: EntityManager, paymentId: string, figures: PaymentFigures, status: PaymentStatus, voided: boolean): Promise<void> {
    await manager.query(
      `UPDATE payment SET captured_minor = $2, refunded_minor = $3, voided_minor = $4, status = $5, updated_at = now(),
              voided_at = CASE WHEN $6 THEN now() ELSE voided_at END
        WHERE payment_id = $1`,
      [paymentId, figures.capturedMinor, figures.refundedMinor, figures.voidedMinor, status, voided],
    );
  }
}
