import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@commerce/contracts';
import { createLogger } from '@commerce/platform';
import { type DecidedCall, GatewayCalls } from './gateway-calls';
import { PaymentRefund } from './payment.entity';
import { planCancellation, planRefund, planVoid } from './payment-rules';
import { type LockedPayment, PaymentStore, stateOf } from './payment-store';

/** Why money was given back (the refund record's reason). */
export const REFUND_REASONS = { orderCancelled: 'order-cancelled', repair: 'reconciliation-repair' } as const;

/** The refund part of a compensation: its reason, and the key that applies it once (null: "the rest", idempotent by itself). */
interface RefundRequest {
  reason: string;
  requestKey: string | null;
}

/** Calls in flight are finished before a compensation decides; past this many rounds the event is retried later. */
const MAX_ROUNDS = 5;

/** Giving money back: the customer's cancellation, and the reconciliation's void and refund repairs. */
@Injectable()
export class PaymentCompensationService {
  private readonly log = createLogger('payment-service');

  constructor(
    private readonly store: PaymentStore,
    private readonly calls: GatewayCalls,
  ) {}

  /**
   * OrderCancellationRequested: before authorization, record it (authorization will never
   * happen); after, refund what was captured and void the rest of the hold.
   */
  cancelPayment(event: EventEnvelope<'OrderCancellationRequested'>): Promise<void> {
    return this.compensate(
      (manager) => this.store.lockOrCreate(manager, event.orderId),
      async (manager, payment) => {
        const plan = planCancellation(stateOf(payment));
        if (!plan.apply) {
          this.log.info({ paymentId: payment.paymentId, why: plan.why }, 'cancellation: nothing to do');
          if (payment.cancellationRequestedAt === null) await this.store.markCancellationRequested(manager, payment.paymentId, event.payload.reason);
          return [];
        }
        await this.store.markCancellationRequested(manager, payment.paymentId, event.payload.reason);
        if (plan.kind === 'before-authorization') {
          await this.store.markCancelledBeforeAuthorization(manager, payment);
          this.log.info({ paymentId: payment.paymentId }, 'cancelled before authorization; will never authorize');
          return [];
        }
        return this.compensationCalls(manager, payment, plan, { reason: REFUND_REASONS.orderCancelled, requestKey: 'order-cancellation' });
      },
    );
  }

  /** Repair: void the open part of the authorization. */
  voidRequested(event: EventEnvelope<'VoidPaymentRequested'>): Promise<void> {
    const { paymentId, caseId } = event.payload;
    return this.compensate(
      (manager) => this.lockForRepair(manager, event.orderId, paymentId),
      async (manager, payment) => {
        const plan = planVoid(stateOf(payment));
        if (!plan.apply) {
          this.log.info({ paymentId: payment.paymentId, why: plan.why, caseId }, 'void repair: nothing to do');
          return [];
        }
        return this.compensationCalls(manager, payment, { refundMinor: 0, voidMinor: plan.voidMinor }, { reason: REFUND_REASONS.repair, requestKey: null });
      },
    );
  }

  /**
   * Repair: refund captured money. With an amount, once per reconciliation case (the case id
   * keys it); without, "the rest", which a second request finds already done.
   */
  refundRequested(event: EventEnvelope<'RefundPaymentRequested'>): Promise<void> {
    const { paymentId, amountMinor, caseId } = event.payload;
    return this.compensate(
      (manager) => this.lockForRepair(manager, event.orderId, paymentId),
      async (manager, payment) => {
        const plan = planRefund(stateOf(payment), amountMinor);
        if (!plan.apply) {
          this.log.info({ paymentId: payment.paymentId, why: plan.why, caseId }, 'refund repair: nothing to do');
          return [];
        }
        const requestKey = amountMinor === undefined ? null : `case:${caseId}`;
        return this.compensationCalls(manager, payment, { refundMinor: plan.refundMinor, voidMinor: 0 }, { reason: REFUND_REASONS.repair, requestKey });
      },
    );
  }

  /**
   * Decides under the payment's lock, records the calls decided, then completes them unlocked.
   * Calls still in flight are finished first (each applies once, whoever sends it), so the
   * decision sees every capture and refund that will land, as it would have behind a lock.
   */
  private async compensate(
    lock: (manager: EntityManager) => Promise<LockedPayment | null>,
    decide: (manager: EntityManager, payment: LockedPayment) => Promise<DecidedCall[]>,
  ): Promise<void> {
    for (let round = 1; ; round++) {
      const next = await this.store.transaction(async (manager) => {
        const payment = await lock(manager);
        if (!payment) return { inFlight: [], decided: [] };
        const inFlight = await this.calls.pending(manager, payment.paymentId);
        if (inFlight.length > 0) return { inFlight, decided: null };
        const decided = await decide(manager, payment);
        const recorded = [];
        for (const call of decided) recorded.push(await this.calls.record(manager, call));
        return { inFlight: [], decided: recorded };
      });
      if (next.decided) return this.calls.complete(next.decided);
      if (round >= MAX_ROUNDS) throw new Error(`payment gateway calls keep arriving while compensating (${next.inFlight.length} in flight)`);
      this.log.info({ paymentId: next.inFlight[0]?.paymentId, inFlight: next.inFlight.length }, 'finishing gateway calls in flight before compensating');
      await this.calls.complete(next.inFlight);
    }
  }

  /** Refund then void, through the gateway; a keyed refund already applied is not made again. */
  private async compensationCalls(
    manager: EntityManager,
    payment: LockedPayment,
    plan: { refundMinor: number; voidMinor: number },
    refund: RefundRequest,
  ): Promise<DecidedCall[]> {
    const { paymentId } = payment;
    const reference = payment.gatewayReference ?? '';
    const calls: DecidedCall[] = [];
    if (plan.refundMinor > 0) {
      if (refund.requestKey !== null && (await manager.existsBy(PaymentRefund, { paymentId, requestKey: refund.requestKey }))) {
        this.log.info({ paymentId, requestKey: refund.requestKey }, 'refund request applied before; not refunding again');
      } else {
        calls.push({ paymentId, kind: 'refund', amountMinor: plan.refundMinor, reference, reason: refund.reason, requestKey: refund.requestKey });
      }
    }
    if (plan.voidMinor > 0) calls.push({ paymentId, kind: 'void', amountMinor: plan.voidMinor, reference });
    return calls;
  }

  private async lockForRepair(manager: EntityManager, orderId: string, paymentId: string | undefined): Promise<LockedPayment | null> {
    const payment = await this.store.lock(manager, orderId);
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
}
