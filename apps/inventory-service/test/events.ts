import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import { sampleEvent } from '@commerce/contracts/src/testing';

type Line = { sku: string; quantity: number; unitPriceMinor: number };

/** An OrderPlaced for a new order (fresh ids), its total matching its lines. */
export function orderPlaced(orderId: string, lines: Line[], paymentToken = 'tok_ok'): EventEnvelope<'OrderPlaced'> {
  return sampleEvent('OrderPlaced', {
    orderId,
    eventId: randomUUID(),
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload: { lines, totalMinor: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0), paymentToken },
  });
}

/** An event of `type` about `orderId` with a fresh eventId (what a second producer send would be). */
export function eventFor<T extends EventType>(type: T, orderId: string, payload: Partial<EventEnvelope<T>['payload']> = {}) {
  return sampleEvent(type, {
    orderId,
    eventId: randomUUID(),
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload,
  } as Parameters<typeof sampleEvent<T>>[1]);
}

/** A copy of an event under a new eventId: what a republish or a producer retry after a crash looks like. */
export function copyOf<T extends EventType>(event: EventEnvelope<T>): EventEnvelope<T> {
  return { ...structuredClone(event), eventId: randomUUID() };
}

export function shipmentDispatched(orderId: string, shipmentId: string, node: string, lines: Line[]): EventEnvelope<'ShipmentDispatched'> {
  return eventFor('ShipmentDispatched', orderId, {
    shipmentId,
    node,
    lines,
    valueMinor: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0),
    currency: 'EUR',
  });
}
