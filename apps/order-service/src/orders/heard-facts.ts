import type { EventEnvelope } from '@commerce/contracts';
import type { FactEventType, HeardFact } from './order-status';

/**
 * What the order keeps of an upstream event: its type, the id of the record it is about,
 * money if any, and the reason when there is one. `at` is when it happened upstream.
 */
export function factOf(event: EventEnvelope<FactEventType>): HeardFact {
  const base = { at: event.occurredAt };
  switch (event.type) {
    case 'InventoryReserved':
      return { ...base, event: event.type, ref: event.payload.reservationId, amountMinor: event.payload.totalMinor, currency: event.payload.currency };
    case 'InventoryRejected':
      return { ...base, event: event.type, ref: null, detail: { reason: event.payload.reason, unavailable: event.payload.unavailable } };
    case 'InventoryReleased':
      return { ...base, event: event.type, ref: event.payload.reservationId, detail: { reason: event.payload.reason } };
    case 'PaymentAuthorized':
    case 'PaymentVoided':
    case 'PaymentRefunded':
      return { ...base, event: event.type, ref: event.payload.paymentId, amountMinor: event.payload.amountMinor, currency: event.payload.currency };
    case 'PaymentDeclined':
      return { ...base, event: event.type, ref: event.payload.paymentId, detail: { reason: event.payload.reason } };
    case 'PaymentCaptured':
      // One capture per dispatched shipment: the shipment is what tells captures apart.
      return {
        ...base,
        event: event.type,
        ref: event.payload.shipmentId,
        amountMinor: event.payload.amountMinor,
        currency: event.payload.currency,
        detail: { paymentId: event.payload.paymentId },
      };
    case 'ShipmentCreated':
      return { ...base, event: event.type, ref: event.payload.shipmentId, detail: { node: event.payload.node } };
    case 'ShipmentDispatched':
      return {
        ...base,
        event: event.type,
        ref: event.payload.shipmentId,
        amountMinor: event.payload.valueMinor,
        currency: event.payload.currency,
        detail: { node: event.payload.node },
      };
    case 'ShipmentDelivered':
      return { ...base, event: event.type, ref: event.payload.shipmentId };
    case 'ShipmentCancelled':
    case 'ShipmentCancellationRefused':
      return { ...base, event: event.type, ref: event.payload.shipmentId, detail: { reason: event.payload.reason } };
  }
}
