import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@commerce/contracts';
import { createLogger } from '@commerce/platform';
import { type GatewayCall, GatewayCalls } from './gateway-calls';
import { planCapture, withCallsInFlight } from './payment-rules';
import { PaymentStore, stateOf } from './payment-store';

/** Capture: each dispatched shipment's value is taken from the hold, once. */
@Injectable()
export class PaymentCaptureService {
  private readonly log = createLogger('payment-service');

  constructor(
    private readonly store: PaymentStore,
    private readonly calls: GatewayCalls,
  ) {}

  /**
   * ShipmentDispatched: remember its value, then capture it; `manager` is the consumed event's
   * transaction, which applies the capture once the gateway answered.
   */
  async captureShipment(event: EventEnvelope<'ShipmentDispatched'>, manager: EntityManager): Promise<void> {
    const { shipmentId, node, valueMinor, currency } = event.payload;
    const record = (own: EntityManager) =>
      own.query(
        `INSERT INTO dispatched_shipment (order_id, shipment_id, node, value_minor, currency, dispatched_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id, shipment_id) DO NOTHING`,
        [event.orderId, shipmentId, node, valueMinor, currency, event.occurredAt],
      );
    await this.captureDispatched(event.orderId, shipmentId, { recordShipment: record, applyIn: manager });
  }

  /**
   * Captures a dispatched shipment's value unless that shipment was captured before; answers why
   * it could not when nothing was captured and the shipment was not captured before either (a
   * repair asking for it is then refused), else null. Decided under the payment's lock in a
   * transaction of its own (the call it records must be seen by others before the gateway is
   * called), sent to the gateway after the lock is released, applied once (gateway-calls.ts), in
   * `applyIn` when given. A capture of this shipment already in flight (a crash, or a concurrent
   * copy of the event) is joined, not doubled; another shipment's capture in flight counts as
   * taken, so the two never take more than the hold.
   */
  async captureDispatched(
    orderId: string,
    shipmentId: string,
    { recordShipment, applyIn }: { recordShipment?: (manager: EntityManager) => Promise<unknown>; applyIn?: EntityManager } = {},
  ): Promise<string | null> {
    const decided = await this.store.transaction(async (manager): Promise<{ call: GatewayCall } | { refusal: string | null }> => {
      // Kept even when there is nothing to capture yet (no payment): a later repair captures it.
      await recordShipment?.(manager);
      const payment = await this.store.lock(manager, orderId);
      if (!payment) {
        this.log.warn({ shipmentId }, 'no payment for this order; nothing to capture');
        return { refusal: 'no payment for this order' };
      }
      const [shipment]: Array<{ value_minor: string; captured: boolean }> = await manager.query(
        `SELECT value_minor, EXISTS (SELECT 1 FROM payment_capture c WHERE c.payment_id = $3 AND c.shipment_id = $2) AS captured
           FROM dispatched_shipment WHERE order_id = $1 AND shipment_id = $2`,
        [orderId, shipmentId, payment.paymentId],
      );
      if (!shipment) {
        this.log.warn({ shipmentId }, 'shipment not heard of (no ShipmentDispatched yet); nothing to capture');
        return { refusal: `shipment ${shipmentId} not heard of (no ShipmentDispatched)` };
      }
      const valueMinor = Number(shipment.value_minor);
      const inFlight = payment.callsInFlight ? await this.calls.pending(manager, payment.paymentId) : [];
      const joined = inFlight.find((call) => call.kind === 'capture' && call.shipmentId === shipmentId);
      if (joined) return { call: joined };

      const alreadyCaptured = shipment.captured;
      const plan = planCapture(withCallsInFlight(stateOf(payment), inFlight), valueMinor, alreadyCaptured);
      if (!plan.apply) {
        const log = alreadyCaptured ? this.log.info.bind(this.log) : this.log.warn.bind(this.log);
        log({ paymentId: payment.paymentId, shipmentId, why: plan.why }, 'nothing to capture');
        return { refusal: alreadyCaptured ? null : plan.why };
      }
      if (plan.amountMinor < valueMinor) {
        this.log.warn({ shipmentId, valueMinor, amountMinor: plan.amountMinor }, 'shipment worth more than the open authorization');
      }
      const call = await this.calls.record(manager, {
        paymentId: payment.paymentId,
        kind: 'capture',
        amountMinor: plan.amountMinor,
        reference: payment.gatewayReference ?? '',
        shipmentId,
      });
      return { call };
    });
    if ('refusal' in decided) return decided.refusal;
    if (applyIn) await this.calls.completeIn(applyIn, decided.call);
    else await this.calls.complete([decided.call]);
    return null;
  }
}
