/**
 * Events as a consumer test produces them: built from the sample messages, with a fresh eventId,
 * correlationId and occurredAt each time, so tests sharing a broker and a database never collide.
 */
import { randomUUID } from 'node:crypto';
import type { EventPayloads, EventType } from '../catalog';
import type { EventEnvelope } from '../envelope';
import { sampleEvent, type SampleOverrides } from './sample-events';

/** An order line as OrderPlaced and ShipmentDispatched carry it. */
export type SampleLine = EventPayloads['OrderPlaced']['lines'][number];

const valueOf = (lines: readonly SampleLine[]) => lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);

/** An event of `type` about `orderId` with a fresh eventId (what a second producer send would be). */
export function eventFor<T extends EventType>(type: T, orderId: string, payload: Partial<EventPayloads[T]> = {}): EventEnvelope<T> {
  return sampleEvent(type, {
    orderId,
    eventId: randomUUID(),
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload,
  } as SampleOverrides<T>);
}

/** A copy of an event under a new eventId: what a republish or a producer retry after a crash looks like. */
export function copyOf<T extends EventType>(event: EventEnvelope<T>): EventEnvelope<T> {
  return { ...structuredClone(event), eventId: randomUUID() };
}

/** An OrderPlaced for `orderId`, its total matching its lines. */
export function orderPlaced(orderId: string, lines: SampleLine[], paymentToken = 'tok_ok'): EventEnvelope<'OrderPlaced'> {
  return eventFor('OrderPlaced', orderId, { lines, totalMinor: valueOf(lines), paymentToken });
}

/** InventoryReserved for the order: the amount to authorize. */
export function inventoryReserved(orderId: string, totalMinor: number): EventEnvelope<'InventoryReserved'> {
  return eventFor('InventoryReserved', orderId, { reservationId: randomUUID(), totalMinor, currency: 'EUR' });
}

/** ShipmentDispatched of `lines` from `node`, valued at their prices. */
export function shipmentDispatched(orderId: string, shipmentId: string, node: string, lines: SampleLine[]): EventEnvelope<'ShipmentDispatched'> {
  return eventFor('ShipmentDispatched', orderId, { shipmentId, node, lines, valueMinor: valueOf(lines), currency: 'EUR' });
}
