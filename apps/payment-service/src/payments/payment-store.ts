import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { observeStateTransition } from '@commerce/platform';
import type { Payment } from './payment.entity';
import type { PaymentState, PaymentStatus } from './payment-rules';

/** What one upstream event contributes towards an authorization. */
export type AuthorizationHalf =
  | { kind: 'order'; paymentToken: string; totalMinor: number; currency: string }
  | { kind: 'reservation'; reservationId: string; totalMinor: number; currency: string };

/** The figures a payment's captures, refunds and voids move. */
export type PaymentFigures = Pick<PaymentState, 'authorizedMinor' | 'capturedMinor' | 'refundedMinor' | 'voidedMinor'>;

/** What the services decide on: the payment row as locked, read with plain SQL (no entity hydration on the hot path). */
export type LockedPayment = Pick<
  Payment,
  | 'paymentId'
  | 'orderId'
  | 'status'
  | 'paymentToken'
  | 'amountToAuthorizeMinor'
  | 'cancellationRequestedAt'
  | 'currency'
  | 'gatewayReference'
  | 'authorizedMinor'
  | 'capturedMinor'
  | 'refundedMinor'
  | 'voidedMinor'
  | 'statusEnteredAt'
> & {
  /** Gateway calls decided and not yet applied exist for it (payment_gateway_call). */
  callsInFlight: boolean;
};

interface LockedRow {
  payment_id: string;
  order_id: string;
  status: PaymentStatus;
  payment_token: string | null;
  amount_to_authorize_minor: string | null;
  cancellation_requested_at: Date | null;
  currency: string | null;
  gateway_reference: string | null;
  authorized_minor: string;
  captured_minor: string;
  refunded_minor: string;
  voided_minor: string;
  status_entered_at: Date | null;
  calls_in_flight: boolean;
}

/** The columns of a LockedPayment, of a payment aliased `p`. */
const LOCKED_COLUMNS = `p.payment_id, p.order_id, p.status, p.payment_token, p.amount_to_authorize_minor, p.cancellation_requested_at,
  p.currency, p.gateway_reference, p.authorized_minor, p.captured_minor, p.refunded_minor, p.voided_minor, p.status_entered_at,
  EXISTS (SELECT 1 FROM payment_gateway_call c WHERE c.payment_id = p.payment_id) AS calls_in_flight`;

const LOCK_SQL = (by: 'order_id' | 'payment_id') => `SELECT ${LOCKED_COLUMNS} FROM payment p WHERE ${by} = $1 FOR UPDATE OF p`;

/** What each half fills in (first copy wins), and when it was heard. */
const HALF_COLUMNS = {
  order: ['payment_token', 'order_total_minor', 'order_placed_at'],
  reservation: ['reservation_id', 'amount_to_authorize_minor', 'reservation_received_at'],
} as const;

const lockedOf = (row: LockedRow): LockedPayment => ({
  paymentId: row.payment_id,
  orderId: row.order_id,
  status: row.status,
  paymentToken: row.payment_token,
  amountToAuthorizeMinor: row.amount_to_authorize_minor === null ? null : Number(row.amount_to_authorize_minor),
  cancellationRequestedAt: row.cancellation_requested_at,
  currency: row.currency,
  gatewayReference: row.gateway_reference,
  authorizedMinor: Number(row.authorized_minor),
  capturedMinor: Number(row.captured_minor),
  refundedMinor: Number(row.refunded_minor),
  voidedMinor: Number(row.voided_minor),
  statusEnteredAt: row.status_entered_at,
  callsInFlight: row.calls_in_flight,
});

export function stateOf(payment: Omit<LockedPayment, 'callsInFlight'>): PaymentState {
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
  async lock(manager: EntityManager, orderId: string): Promise<LockedPayment | null> {
    const rows: LockedRow[] = await manager.query(LOCK_SQL('order_id'), [orderId]);
    return rows.length === 0 ? null : lockedOf(rows[0]);
  }

  async lockById(manager: EntityManager, paymentId: string): Promise<LockedPayment> {
    const rows: LockedRow[] = await manager.query(LOCK_SQL('payment_id'), [paymentId]);
    if (rows.length === 0) throw new Error(`payment ${paymentId} not found`);
    return lockedOf(rows[0]);
  }

  /** The order's payment, created PENDING if this is the first we hear of the order; locked. */
  async lockOrCreate(manager: EntityManager, orderId: string): Promise<LockedPayment> {
    await manager.query(`INSERT INTO payment (payment_id, order_id, status) VALUES ($1, $2, 'PENDING') ON CONFLICT (order_id) DO NOTHING`, [
      randomUUID(),
      orderId,
    ]);
    const payment = await this.lock(manager, orderId);
    if (!payment) throw new Error(`payment row for order ${orderId} vanished after insert`);
    return payment;
  }

  /**
   * Keeps what the half brings, creating the payment PENDING if this is the first we hear of the
   * order, and answers the row as it now is, locked: one statement. The first copy wins, so a
   * redelivered half changes nothing.
   */
  async recordHalf(manager: EntityManager, orderId: string, half: AuthorizationHalf): Promise<LockedPayment> {
    const [value, amount, heardAt] = HALF_COLUMNS[half.kind];
    const keep = (column: string) => `${column} = COALESCE(p.${column}, EXCLUDED.${column})`;
    const rows: LockedRow[] = await manager.query(
      `INSERT INTO payment AS p (payment_id, order_id, status, ${value}, ${amount}, currency, ${heardAt})
       VALUES ($1, $2, 'PENDING', $3, $4, $5, now())
       ON CONFLICT (order_id) DO UPDATE SET ${keep(value)}, ${keep(amount)}, ${keep('currency')}, ${keep(heardAt)}, updated_at = now()
       RETURNING ${LOCKED_COLUMNS}`,
      [randomUUID(), orderId, half.kind === 'order' ? half.paymentToken : half.reservationId, half.totalMinor, half.currency],
    );
    return lockedOf(rows[0]);
  }

  /** `payment` is the row as locked in this transaction: the status it leaves and since when. */
  async markAuthorized(manager: EntityManager, payment: LockedPayment, amountMinor: number, reference: string): Promise<void> {
    await this.moveTo(manager, payment, 'AUTHORIZED', 'authorized_minor = $3, gateway_reference = $4, authorized_at = now(), updated_at = now()', [
      amountMinor,
      reference,
    ]);
  }

  async markDeclined(manager: EntityManager, payment: LockedPayment, reason: string): Promise<void> {
    await this.moveTo(manager, payment, 'DECLINED', 'decline_reason = $3, declined_at = now(), updated_at = now()', [reason]);
  }

  async markCancellationRequested(manager: EntityManager, paymentId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE payment SET cancellation_requested_at = now(), cancellation_reason = $2, updated_at = now() WHERE payment_id = $1`,
      [paymentId, reason],
    );
  }

  async markCancelledBeforeAuthorization(manager: EntityManager, payment: LockedPayment): Promise<void> {
    await this.moveTo(manager, payment, 'CANCELLED_BEFORE_AUTHORIZATION', '', []);
  }

  /** Stores the figures and the status they give; `voided` stamps voided_at. */
  async saveFigures(manager: EntityManager, payment: LockedPayment, figures: PaymentFigures, status: PaymentStatus, voided: boolean): Promise<void> {
    await this.moveTo(
      manager,
      payment,
      status,
      'captured_minor = $3, refunded_minor = $4, voided_minor = $5, updated_at = now(), voided_at = CASE WHEN $6 THEN now() ELSE voided_at END',
      [figures.capturedMinor, figures.refundedMinor, figures.voidedMinor, voided],
    );
  }

  /**
   * Sets the status ($2) with the other columns `set` names ($3 on), and observes the time spent
   * in the status left; a status kept as it was (a partial capture after another) keeps its entry time.
   */
  private async moveTo(manager: EntityManager, payment: LockedPayment, to: PaymentStatus, set: string, parameters: unknown[]): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE payment SET status = $2, status_entered_at = CASE WHEN status IS DISTINCT FROM $2 THEN now() ELSE status_entered_at END${set ? `, ${set}` : ''}
        WHERE payment_id = $1 RETURNING status_entered_at`,
      [payment.paymentId, to, ...parameters],
    );
    const leftAt = (rows as Array<{ status_entered_at: Date | null }>)[0]?.status_entered_at;
    if (leftAt) observeStateTransition({ machine: 'payment', from: payment.status, to, enteredAt: payment.statusEnteredAt, leftAt });
  }
}
