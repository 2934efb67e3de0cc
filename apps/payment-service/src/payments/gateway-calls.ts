import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Outbox } from '@commerce/messaging';
import { createLogger } from '@commerce/platform';
import { PaymentGateway } from '../gateway/payment-gateway';
import { type CallInFlight, settledStatus } from './payment-rules';
import { PaymentStore, stateOf } from './payment-store';

/**
 * capture, refund and void move the payment's figures; release gives back a hold the payment
 * never recorded (an approval that arrived after the order was cancelled).
 */
export type GatewayCallKind = CallInFlight['kind'];

/** A gateway call decided under the payment's lock and not yet applied (table payment_gateway_call). */
export interface GatewayCall {
  callId: string;
  paymentId: string;
  kind: GatewayCallKind;
  amountMinor: number;
  /** The hold the call is about. */
  reference: string;
  /** capture: the shipment captured. */
  shipmentId: string | null;
  /** refund: why money is given back, and the key that makes the request idempotent. */
  reason: string | null;
  requestKey: string | null;
}

export type DecidedCall = Omit<GatewayCall, 'callId' | 'shipmentId' | 'reason' | 'requestKey'> & Partial<GatewayCall>;

interface CallRow {
  call_id: string;
  payment_id: string;
  kind: GatewayCallKind;
  amount_minor: string;
  reference: string;
  shipment_id: string | null;
  reason: string | null;
  request_key: string | null;
}

const callOf = (row: CallRow): GatewayCall => ({
  callId: row.call_id,
  paymentId: row.payment_id,
  kind: row.kind,
  amountMinor: Number(row.amount_minor),
  reference: row.reference,
  shipmentId: row.shipment_id,
  reason: row.reason,
  requestKey: row.request_key,
});

/**
 * How the service moves money without holding a row lock while the gateway answers: a call is
 * decided and recorded under the payment's lock (`record`), sent unlocked, then applied under
 * the lock in a transaction of its own with the event it causes (`complete`). Applying deletes
 * the call's row, so of several senders of one call (a redelivery, a concurrent copy, a
 * compensation finishing it first) exactly one applies it; the others find it gone.
 */
@Injectable()
export class GatewayCalls {
  private readonly log = createLogger('payment-service');

  constructor(
    private readonly gateway: PaymentGateway,
    private readonly store: PaymentStore,
    private readonly outbox: Outbox,
  ) {}

  /** Records a call decided under the payment's lock, in the caller's transaction. */
  async record(manager: EntityManager, decided: DecidedCall): Promise<GatewayCall> {
    const call: GatewayCall = { callId: randomUUID(), shipmentId: null, reason: null, requestKey: null, ...decided };
    await manager.query(
      `INSERT INTO payment_gateway_call (call_id, payment_id, kind, amount_minor, reference, shipment_id, reason, request_key, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())`,
      [call.callId, call.paymentId, call.kind, call.amountMinor, call.reference, call.shipmentId, call.reason, call.requestKey],
    );
    return call;
  }

  /** The payment's calls in flight, oldest first. */
  async pending(manager: EntityManager, paymentId: string): Promise<GatewayCall[]> {
    const rows: CallRow[] = await manager.query(
      `SELECT call_id, payment_id, kind, amount_minor, reference, shipment_id, reason, request_key
         FROM payment_gateway_call WHERE payment_id = $1 ORDER BY requested_at, call_id`,
      [paymentId],
    );
    return rows.map(callOf);
  }

  /** Sends each call to the gateway (no lock held), then applies it; in order, as they were decided. */
  async complete(calls: readonly GatewayCall[]): Promise<void> {
    for (const call of calls) {
      await this.send(call);
      await this.store.transaction((manager) => this.apply(manager, call));
    }
  }

  /**
   * Sends one call, then applies it in `manager`: a transaction that holds no payment lock while
   * the gateway answers and commits right after (the consumed event's, with its inbox row).
   */
  async completeIn(manager: EntityManager, call: GatewayCall): Promise<void> {
    await this.send(call);
    await this.apply(manager, call);
  }

  private send(call: GatewayCall): Promise<void> {
    switch (call.kind) {
      case 'capture':
        return this.gateway.capture(call.reference, call.amountMinor, call.callId);
      case 'refund':
        return this.gateway.refund(call.reference, call.amountMinor, call.callId);
      case 'void':
      case 'release':
        return this.gateway.void(call.reference, call.amountMinor, call.callId);
    }
  }

  /** Records what the call moved and emits its event, unless a concurrent sender applied it first. */
  private async apply(manager: EntityManager, call: GatewayCall): Promise<void> {
    const payment = await this.store.lockById(manager, call.paymentId);
    const taken: unknown[] = await manager.query('DELETE FROM payment_gateway_call WHERE call_id = $1 RETURNING call_id', [call.callId]);
    if (taken.length === 0) {
      this.log.info({ paymentId: call.paymentId, kind: call.kind, callId: call.callId }, 'gateway call applied before; nothing to record');
      return;
    }
    const { paymentId } = payment;
    const currency = payment.currency ?? 'XXX';
    const amountMinor = call.amountMinor;
    const figures = stateOf(payment);
    switch (call.kind) {
      case 'release':
        this.log.warn({ paymentId, amountMinor }, 'authorization no longer wanted; voided at the gateway');
        return;
      case 'capture': {
        const shipmentId = call.shipmentId ?? '';
        await manager.query('INSERT INTO payment_capture (payment_id, shipment_id, amount_minor, currency) VALUES ($1, $2, $3, $4)', [
          paymentId,
          shipmentId,
          amountMinor,
          currency,
        ]);
        figures.capturedMinor += amountMinor;
        await this.outbox.emit(manager, 'PaymentCaptured', { paymentId, shipmentId, amountMinor, currency });
        break;
      }
      case 'refund':
        await manager.query(
          `INSERT INTO payment_refund (refund_id, payment_id, amount_minor, currency, reason, request_key) VALUES ($1, $2, $3, $4, $5, $6)`,
          [call.callId, paymentId, amountMinor, currency, call.reason ?? '', call.requestKey],
        );
        figures.refundedMinor += amountMinor;
        await this.outbox.emit(manager, 'PaymentRefunded', { paymentId, amountMinor, currency });
        break;
      case 'void':
        figures.voidedMinor += amountMinor;
        await this.outbox.emit(manager, 'PaymentVoided', { paymentId, amountMinor, currency });
        break;
    }
    const status = settledStatus(figures);
    await this.store.saveFigures(manager, payment, figures, status, call.kind === 'void');
    this.log.info({ paymentId, kind: call.kind, shipmentId: call.shipmentId ?? undefined, amountMinor, status }, `payment ${call.kind} applied`);
  }
}
