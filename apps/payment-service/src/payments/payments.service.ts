import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type EventEnvelope, type EventType, isEventType, producerOf, SERVICES } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { createLogger, decodeCursor, encodeCursor, keysetPage, keysetTimestampSql, NotFoundError } from '@commerce/platform';
import { authorizeWithRetries, type GatewayRetryPolicy } from '../gateway/authorize-with-retries';
import { type AuthorizationAnswer, PaymentGateway } from '../gateway/payment-gateway';
import type { PaymentPage, PaymentSummaryView, PaymentView } from './dto/payment.dto';
import { DispatchedShipment, Payment, PaymentCapture, PaymentRefund } from './payment.entity';
import {
  isReadyToAuthorize,
  type PaymentState,
  type PaymentStatus,
  planCancellation,
  planCapture,
  planRefund,
  planVoid,
  settledStatus,
} from './payment-rules';

export const GATEWAY_RETRY_POLICY = Symbol('GATEWAY_RETRY_POLICY');

/** Why money was given back (the refund record's reason). */
export const REFUND_REASONS = { orderCancelled: 'order-cancelled', repair: 'reconciliation-repair' } as const;

/** What one upstream event contributes towards an authorization. */
type AuthorizationHalf =
  | { kind: 'order'; paymentToken: string; totalMinor: number; currency: string }
  | { kind: 'reservation'; reservationId: string; totalMinor: number; currency: string };

function stateOf(payment: Payment): PaymentState {
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

function withHalf(state: PaymentState, half: AuthorizationHalf): PaymentState {
  return half.kind === 'order'
    ? { ...state, paymentToken: state.paymentToken ?? half.paymentToken }
    : { ...state, amountToAuthorizeMinor: state.amountToAuthorizeMinor ?? half.totalMinor };
}

@Injectable()
export class PaymentsService {
  private readonly log = createLogger('payment-service');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: PaymentGateway,
    @Inject(GATEWAY_RETRY_POLICY) private readonly retryPolicy: GatewayRetryPolicy,
  ) {}

  /** OrderPlaced: keep the token (and the order's total); authorize if the reservation is already here. */
  recordOrder(event: EventEnvelope<'OrderPlaced'>, context: EventContext): Promise<void> {
    const { paymentToken, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(context, { kind: 'order', paymentToken, totalMinor, currency });
  }

  /** InventoryReserved: keep the amount to authorize; authorize if the token is already here. */
  recordReservation(event: EventEnvelope<'InventoryReserved'>, context: EventContext): Promise<void> {
    const { reservationId, totalMinor, currency } = event.payload;
    return this.authorizeWhenReady(context, { kind: 'reservation', reservationId, totalMinor, currency });
  }

  /**
   * Whichever half arrives second authorizes. The gateway may take seconds, so it is called
   * before the payment row is locked: a look without lock says whether this event completes
   * the pair; then the row is locked and the guard checked again. If the pair completed in a
   * race (both halves in flight at once) the call happens under the lock, which only that
   * order's other events wait for. An approval no longer wanted is voided at the gateway.
   */
  private async authorizeWhenReady(context: EventContext, half: AuthorizationHalf): Promise<void> {
    const { manager } = context;
    const orderId = context.event.orderId;

    const seen = await manager.findOneBy(Payment, { orderId });
    let answer: AuthorizationAnswer | null = null;
    if (seen && isReadyToAuthorize(withHalf(stateOf(seen), half))) {
      answer = await this.callGateway(seen, withHalf(stateOf(seen), half), seen.currency ?? half.currency);
    }

    const payment = await this.lockOrCreate(manager, orderId);
    await this.recordHalf(manager, payment.paymentId, half);
    const state = withHalf(stateOf(payment), half);
    const currency = payment.currency ?? half.currency;
    if (!isReadyToAuthorize(state)) {
      if (answer?.approved) {
        // Cancelled (or authorized by a concurrent copy of this event) while we were at the gateway.
        await this.gateway.void(answer.reference, state.amountToAuthorizeMinor ?? 0);
        this.log.warn({ paymentId: payment.paymentId, status: payment.status }, 'authorization no longer wanted; voided at the gateway');
      } else {
        this.log.info({ paymentId: payment.paymentId, status: payment.status, half: half.kind }, 'recorded; not authorizing now');
      }
      return;
    }
    answer ??= await this.callGateway(payment, state, currency);

    const amountMinor = state.amountToAuthorizeMinor ?? 0;
    if (answer.approved) {
      await manager.query(
        `UPDATE payment SET status = 'AUTHORIZED', authorized_minor = $2, gateway_reference = $3, authorized_at = now(), updated_at = now()
          WHERE payment_id = $1`,
        [payment.paymentId, amountMinor, answer.reference],
      );
      this.log.info({ paymentId: payment.paymentId, amountMinor }, 'payment authorized');
      await context.emit('PaymentAuthorized', { paymentId: payment.paymentId, amountMinor, currency });
    } else {
      await manager.query(
        `UPDATE payment SET status = 'DECLINED', decline_reason = $2, declined_at = now(), updated_at = now() WHERE payment_id = $1`,
        [payment.paymentId, answer.reason],
      );
      this.log.info({ paymentId: payment.paymentId, reason: answer.reason }, 'payment declined');
      await context.emit('PaymentDeclined', { paymentId: payment.paymentId, reason: answer.reason });
    }
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

  private async recordHalf(manager: EntityManager, paymentId: string, half: AuthorizationHalf): Promise<void> {
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

  /** ShipmentDispatched: remember its value, then capture it. */
  async captureShipment(event: EventEnvelope<'ShipmentDispatched'>, context: EventContext): Promise<void> {
    const { shipmentId, node, valueMinor, currency } = event.payload;
    await context.manager.query(
      `INSERT INTO dispatched_shipment (order_id, shipment_id, node, value_minor, currency, dispatched_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id, shipment_id) DO NOTHING`,
      [event.orderId, shipmentId, node, valueMinor, currency, event.occurredAt],
    );
    await this.captureDispatched(context, shipmentId);
  }

  /** Captures a dispatched shipment's value unless that shipment was captured before. */
  async captureDispatched(context: EventContext, shipmentId: string): Promise<void> {
    const { manager } = context;
    const payment = await this.lock(manager, context.event.orderId);
    if (!payment) {
      this.log.warn({ shipmentId }, 'no payment for this order; nothing to capture');
      return;
    }
    const shipment = await manager.findOneBy(DispatchedShipment, { orderId: payment.orderId, shipmentId });
    if (!shipment) {
      this.log.warn({ shipmentId }, 'shipment not heard of (no ShipmentDispatched yet); nothing to capture');
      return;
    }
    const alreadyCaptured = await manager.existsBy(PaymentCapture, { paymentId: payment.paymentId, shipmentId });
    const plan = planCapture(stateOf(payment), shipment.valueMinor, alreadyCaptured);
    if (!plan.apply) {
      const log = alreadyCaptured ? this.log.info.bind(this.log) : this.log.warn.bind(this.log);
      log({ paymentId: payment.paymentId, shipmentId, why: plan.why }, 'nothing to capture');
      return;
    }
    if (plan.amountMinor < shipment.valueMinor) {
      this.log.warn({ shipmentId, valueMinor: shipment.valueMinor, amountMinor: plan.amountMinor }, 'shipment worth more than the open authorization');
    }

    const currency = payment.currency ?? shipment.currency;
    await this.gateway.capture(payment.gatewayReference ?? '', plan.amountMinor);
    await manager.query('INSERT INTO payment_capture (payment_id, shipment_id, amount_minor, currency) VALUES ($1, $2, $3, $4)', [
      payment.paymentId,
      shipmentId,
      plan.amountMinor,
      currency,
    ]);
    const capturedMinor = payment.capturedMinor + plan.amountMinor;
    const status = settledStatus({ ...stateOf(payment), capturedMinor });
    await manager.query('UPDATE payment SET captured_minor = $2, status = $3, updated_at = now() WHERE payment_id = $1', [
      payment.paymentId,
      capturedMinor,
      status,
    ]);
    this.log.info({ paymentId: payment.paymentId, shipmentId, amountMinor: plan.amountMinor, status }, 'shipment captured');
    await context.emit('PaymentCaptured', { paymentId: payment.paymentId, shipmentId, amountMinor: plan.amountMinor, currency });
  }

  /**
   * OrderCancellationRequested: before authorization, record it (authorization will never
   * happen); after, refund what was captured and void the rest of the hold.
   */
  async cancelPayment(event: EventEnvelope<'OrderCancellationRequested'>, context: EventContext): Promise<void> {
    const { manager } = context;
    const payment = await this.lockOrCreate(manager, event.orderId);
    const plan = planCancellation(stateOf(payment));
    if (!plan.apply) {
      this.log.info({ paymentId: payment.paymentId, why: plan.why }, 'cancellation: nothing to do');
      if (payment.cancellationRequestedAt === null) await this.markCancellationRequested(manager, payment.paymentId, event.payload.reason);
      return;
    }
    await this.markCancellationRequested(manager, payment.paymentId, event.payload.reason);
    if (plan.kind === 'before-authorization') {
      await manager.query(`UPDATE payment SET status = 'CANCELLED_BEFORE_AUTHORIZATION' WHERE payment_id = $1`, [payment.paymentId]);
      this.log.info({ paymentId: payment.paymentId }, 'cancelled before authorization; will never authorize');
      return;
    }
    await this.compensate(context, payment, plan, { reason: REFUND_REASONS.orderCancelled, requestKey: 'order-cancellation' });
  }

  /** Repair: void the open part of the authorization. */
  async voidRequested(event: EventEnvelope<'VoidPaymentRequested'>, context: EventContext): Promise<void> {
    const payment = await this.lockForRepair(context, event.payload.paymentId);
    if (!payment) return;
    const plan = planVoid(stateOf(payment));
    if (!plan.apply) {
      this.log.info({ paymentId: payment.paymentId, why: plan.why, caseId: event.payload.caseId }, 'void repair: nothing to do');
      return;
    }
    await this.compensate(context, payment, { refundMinor: 0, voidMinor: plan.voidMinor }, { reason: REFUND_REASONS.repair, requestKey: null });
  }

  /**
   * Repair: refund captured money. With an amount, once per reconciliation case (the case id
   * keys it); without, "the rest", which a second request finds already done.
   */
  async refundRequested(event: EventEnvelope<'RefundPaymentRequested'>, context: EventContext): Promise<void> {
    const payment = await this.lockForRepair(context, event.payload.paymentId);
    if (!payment) return;
    const { amountMinor, caseId } = event.payload;
    const plan = planRefund(stateOf(payment), amountMinor);
    if (!plan.apply) {
      this.log.info({ paymentId: payment.paymentId, why: plan.why, caseId }, 'refund repair: nothing to do');
      return;
    }
    await this.compensate(
      context,
      payment,
      { refundMinor: plan.refundMinor, voidMinor: 0 },
      { reason: REFUND_REASONS.repair, requestKey: amountMinor === undefined ? null : `case:${caseId}` },
    );
  }

  /** Refunds and voids through the gateway, records them, emits PaymentRefunded / PaymentVoided. */
  private async compensate(
    context: EventContext,
    payment: Payment,
    plan: { refundMinor: number; voidMinor: number },
    refund: { reason: string; requestKey: string | null },
  ): Promise<void> {
    const { manager } = context;
    const figures = stateOf(payment);
    const currency = payment.currency ?? 'XXX';
    const reference = payment.gatewayReference ?? '';
    if (plan.refundMinor > 0) {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO payment_refund (refund_id, payment_id, amount_minor, currency, reason, request_key)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (payment_id, request_key) DO NOTHING RETURNING refund_id`,
        [randomUUID(), payment.paymentId, plan.refundMinor, currency, refund.reason, refund.requestKey],
      );
      if (inserted.length > 0) {
        await this.gateway.refund(reference, plan.refundMinor);
        figures.refundedMinor += plan.refundMinor;
        await context.emit('PaymentRefunded', { paymentId: payment.paymentId, amountMinor: plan.refundMinor, currency });
      } else {
        this.log.info({ paymentId: payment.paymentId, requestKey: refund.requestKey }, 'refund request applied before; not refunding again');
      }
    }
    if (plan.voidMinor > 0) {
      await this.gateway.void(reference, plan.voidMinor);
      figures.voidedMinor += plan.voidMinor;
      await context.emit('PaymentVoided', { paymentId: payment.paymentId, amountMinor: plan.voidMinor, currency });
    }
    const status = settledStatus(figures);
    await manager.query(
      `UPDATE payment SET refunded_minor = $2, voided_minor = $3, status = $4, updated_at = now(),
              voided_at = CASE WHEN $5 THEN now() ELSE voided_at END
        WHERE payment_id = $1`,
      [payment.paymentId, figures.refundedMinor, figures.voidedMinor, status, plan.voidMinor > 0],
    );
    this.log.info(
      { paymentId: payment.paymentId, refundedMinor: figures.refundedMinor, voidedMinor: figures.voidedMinor, status },
      'payment compensated',
    );
  }

  /** Repair: emits again, as new events, this service's facts of the requested types, from stored data. */
  async republishEvents(event: EventEnvelope<'RepublishEventsRequested'>, context: EventContext): Promise<void> {
    const types = new Set(
      event.payload.eventTypes.filter((type): type is EventType => isEventType(type) && producerOf(type) === SERVICES.payment),
    );
    if (types.size === 0) return; // another service's events
    const { manager } = context;
    const payment = await manager.findOneBy(Payment, { orderId: event.orderId });
    if (!payment) {
      this.log.warn({ types: [...types] }, 'republish requested for an order without a payment; nothing to republish');
      return;
    }
    const { paymentId } = payment;
    const currency = payment.currency ?? 'XXX';
    let republished = 0;
    if (types.has('PaymentAuthorized') && payment.authorizedAt) {
      await context.emit('PaymentAuthorized', { paymentId, amountMinor: payment.authorizedMinor, currency });
      republished++;
    }
    if (types.has('PaymentDeclined') && payment.declinedAt) {
      await context.emit('PaymentDeclined', { paymentId, reason: payment.declineReason ?? 'declined' });
      republished++;
    }
    if (types.has('PaymentCaptured')) {
      for (const capture of await manager.find(PaymentCapture, { where: { paymentId }, order: { capturedAt: 'ASC' } })) {
        await context.emit('PaymentCaptured', { paymentId, shipmentId: capture.shipmentId, amountMinor: capture.amountMinor, currency });
        republished++;
      }
    }
    if (types.has('PaymentVoided') && payment.voidedMinor > 0) {
      await context.emit('PaymentVoided', { paymentId, amountMinor: payment.voidedMinor, currency });
      republished++;
    }
    if (types.has('PaymentRefunded')) {
      for (const refund of await manager.find(PaymentRefund, { where: { paymentId }, order: { refundedAt: 'ASC' } })) {
        await context.emit('PaymentRefunded', { paymentId, amountMinor: refund.amountMinor, currency });
        republished++;
      }
    }
    this.log.info({ types: [...types], republished, caseId: event.payload.caseId }, 'events republished');
  }

  /** GET /payments/:orderId */
  async findByOrder(orderId: string): Promise<PaymentView> {
    const payment = await this.dataSource.getRepository(Payment).findOne({
      where: { orderId },
      relations: { captures: true, refunds: true },
      order: { captures: { capturedAt: 'ASC' }, refunds: { refundedAt: 'ASC' } },
    });
    if (!payment) throw new NotFoundError('Payment for order', orderId);
    return {
      ...summaryOf(payment),
      captures: (payment.captures ?? []).map((capture) => ({
        shipmentId: capture.shipmentId,
        amountMinor: capture.amountMinor,
        currency: capture.currency,
        capturedAt: capture.capturedAt.toISOString(),
      })),
      refunds: (payment.refunds ?? []).map((refund) => ({
        refundId: refund.refundId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        refundedAt: refund.refundedAt.toISOString(),
      })),
    };
  }

  /** GET /payments: newest first, keyset-paged by (createdAt, orderId). */
  async list(filter: { status?: PaymentStatus; limit?: number; cursor?: string }): Promise<PaymentPage> {
    const limit = filter.limit ?? 50;
    const after = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
    const rows: Array<{ order_id: string; created_key: string }> = await this.dataSource.query(
      `SELECT order_id, ${keysetTimestampSql('created_at')} AS created_key
         FROM payment
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2::timestamptz, $3::text))
        ORDER BY created_at DESC, order_id DESC LIMIT $4`,
      [filter.status ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const page = keysetPage(rows, limit, (last) => encodeCursor({ at: last.created_key, id: last.order_id }));
    const payments =
      page.rows.length === 0 ? [] : await this.dataSource.getRepository(Payment).find({ where: page.rows.map((row) => ({ orderId: row.order_id })) });
    const byOrder = new Map(payments.map((payment) => [payment.orderId, payment]));
    return {
      items: page.rows.flatMap((row) => {
        const payment = byOrder.get(row.order_id);
        return payment ? [summaryOf(payment)] : [];
      }),
      nextCursor: page.nextCursor,
    };
  }

  private lock(manager: EntityManager, orderId: string): Promise<Payment | null> {
    return manager.findOne(Payment, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The order's payment, created PENDING if this is the first we hear of the order; locked. */
  private async lockOrCreate(manager: EntityManager, orderId: string): Promise<Payment> {
    await manager.query(`INSERT INTO payment (payment_id, order_id, status) VALUES ($1, $2, 'PENDING') ON CONFLICT (order_id) DO NOTHING`, [
      randomUUID(),
      orderId,
    ]);
    const payment = await this.lock(manager, orderId);
    if (!payment) throw new Error(`payment row for order ${orderId} vanished after insert`);
    return payment;
  }

  private async lockForRepair(context: EventContext, paymentId: string | undefined): Promise<Payment | null> {
    const payment = await this.lock(context.manager, context.event.orderId);
    if (!payment) {
      this.log.warn({ paymentId }, 'repair for an order without a payment; nothing to do');
      return null;
    }
    if (paymentId !== undefined && paymentId !== payment.paymentId) {
      this.log.warn({ paymentId, actual: payment.paymentId }, 'repair names another payment of this order; ignored');
      return null;
    }
    return payment;
  }

  private async markCancellationRequested(manager: EntityManager, paymentId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE payment SET cancellation_requested_at = now(), cancellation_reason = $2, updated_at = now() WHERE payment_id = $1`,
      [paymentId, reason],
    );
  }
}

function summaryOf(payment: Payment): PaymentSummaryView {
  return {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    status: payment.status,
    currency: payment.currency,
    amountToAuthorizeMinor: payment.amountToAuthorizeMinor,
    authorizedMinor: payment.authorizedMinor,
    capturedMinor: payment.capturedMinor,
    refundedMinor: payment.refundedMinor,
    voidedMinor: payment.voidedMinor,
    declineReason: payment.declineReason,
    waitingFor:
      payment.status === 'PENDING'
        ? [...(payment.orderPlacedAt === null ? ['OrderPlaced'] : []), ...(payment.reservationReceivedAt === null ? ['InventoryReserved'] : [])]
        : [],
    cancellationRequestedAt: payment.cancellationRequestedAt?.toISOString() ?? null,
    authorizedAt: payment.authorizedAt?.toISOString() ?? null,
    declinedAt: payment.declinedAt?.toISOString() ?? null,
    voidedAt: payment.voidedAt?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
