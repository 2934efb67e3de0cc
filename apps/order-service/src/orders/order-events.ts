import { createEvent, type EventEnvelope, type EventPayloads, SERVICES } from '@commerce/contracts';
import type { OrderEntity } from './order.entity';

/** The OrderPlaced payload, rebuilt from the stored order (also what a republish sends). */
export function orderPlacedPayload(order: OrderEntity): EventPayloads['OrderPlaced'] {
  const { line2, ...address } = order.shippingAddress;
  return {
    customerId: order.customerId,
    lines: order.lines.map(({ sku, quantity, unitPriceMinor }) => ({ sku, quantity, unitPriceMinor })),
    currency: order.currency,
    totalMinor: order.totalMinor,
    paymentToken: order.paymentToken,
    shippingAddress: line2 ? { ...address, line2 } : address,
  };
}

export const DEFAULT_CANCELLATION_REASON = 'customer-request';

/**
 * Events of this order's own flow: they carry the correlationId the order was placed with,
 * whoever asks for them (the customer's request, a reconciliation command).
 */
export function orderPlacedEvent(order: OrderEntity, causationId: string | null): EventEnvelope<'OrderPlaced'> {
  return createEvent('OrderPlaced', orderPlacedPayload(order), meta(order, causationId));
}

export function cancellationRequestedEvent(order: OrderEntity, causationId: string | null): EventEnvelope<'OrderCancellationRequested'> {
  return createEvent('OrderCancellationRequested', { reason: order.cancellationReason ?? DEFAULT_CANCELLATION_REASON }, meta(order, causationId));
}

function meta(order: OrderEntity, causationId: string | null) {
  return { orderId: order.id, correlationId: order.correlationId, causationId, producer: SERVICES.order };
}
