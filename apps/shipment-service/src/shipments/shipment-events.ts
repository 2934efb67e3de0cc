import type { EventPayloads } from '@commerce/contracts';
import type { Shipment } from './shipment.entity';
import { ALREADY_DISPATCHED } from './shipment-rules';

type ShipmentEventType = 'ShipmentCreated' | 'ShipmentDispatched' | 'ShipmentDelivered' | 'ShipmentCancelled' | 'ShipmentCancellationRefused';

/** ShipmentDispatched as the shipment shows it: what the warehouse emits, and a republish again. */
export function dispatchedPayload(shipment: Shipment): EventPayloads['ShipmentDispatched'] {
  return { shipmentId: shipment.id, node: shipment.node, lines: shipment.lines, valueMinor: shipment.valueMinor, currency: shipment.currency };
}

/** The events this service has published about a shipment, as its state shows them. */
export function publishedEventsOf(shipment: Shipment): Array<[ShipmentEventType, EventPayloads[ShipmentEventType]]> {
  const events: Array<[ShipmentEventType, EventPayloads[ShipmentEventType]]> = [
    ['ShipmentCreated', { shipmentId: shipment.id, node: shipment.node, lines: shipment.lines }],
  ];
  if (shipment.dispatchedAt) events.push(['ShipmentDispatched', dispatchedPayload(shipment)]);
  if (shipment.deliveredAt) events.push(['ShipmentDelivered', { shipmentId: shipment.id }]);
  if (shipment.cancelledAt) events.push(['ShipmentCancelled', { shipmentId: shipment.id, reason: shipment.cancellationReason ?? 'cancelled' }]);
  if (shipment.cancellationRefusedAt) {
    events.push(['ShipmentCancellationRefused', { shipmentId: shipment.id, reason: shipment.cancellationRefusedReason ?? ALREADY_DISPATCHED }]);
  }
  return events;
}
