import type { Milestone, OrderMilestones } from '@commerce/contracts';
import type { OrderFacts } from '../shipments/order-facts.entity';
import type { Shipment } from '../shipments/shipment.entity';
import { orderShipmentStatus } from '../shipments/shipment-rules';

export type FactsRow = Pick<
  OrderFacts,
  'orderId' | 'currency' | 'orderPlacedAt' | 'inventoryReservedAt' | 'paymentAuthorizedAt' | 'cancellationRequestedAt' | 'cancellationReason' | 'updatedAt'
>;
export type ShipmentRow = Pick<
  Shipment,
  | 'id'
  | 'node'
  | 'status'
  | 'lines'
  | 'valueMinor'
  | 'currency'
  | 'createdAt'
  | 'dispatchedAt'
  | 'deliveredAt'
  | 'cancelledAt'
  | 'cancellationReason'
  | 'cancellationRefusedAt'
  | 'cancellationRefusedReason'
>;

const units = (shipment: ShipmentRow) => shipment.lines.reduce((sum, line) => sum + line.quantity, 0);

/** Which of the three facts a shipment needs are still missing (null when none are). */
function awaitingFacts(facts: FactsRow): string | null {
  const missing = [
    facts.orderPlacedAt ? null : 'OrderPlaced',
    facts.inventoryReservedAt ? null : 'InventoryReserved',
    facts.paymentAuthorizedAt ? null : 'PaymentAuthorized',
  ].filter((name): name is string => name !== null);
  return missing.length > 0 ? missing.join(',') : null;
}

/**
 * What shipment-service knows about one order, in its own words (the /milestones contract):
 * one milestone per thing that happened to each shipment, and the figures the invariants need.
 */
export function toOrderMilestones(facts: FactsRow, shipments: readonly ShipmentRow[]): OrderMilestones {
  const milestones: Milestone[] = [];
  for (const s of shipments) {
    const quantity = units(s);
    milestones.push({ name: 'CREATED', at: s.createdAt.toISOString(), ref: s.id, quantity, detail: { node: s.node } });
    if (s.dispatchedAt) {
      milestones.push({ name: 'DISPATCHED', at: s.dispatchedAt.toISOString(), ref: s.id, amountMinor: s.valueMinor, currency: s.currency, quantity, detail: { node: s.node } });
    }
    if (s.deliveredAt) milestones.push({ name: 'DELIVERED', at: s.deliveredAt.toISOString(), ref: s.id, quantity });
    if (s.cancelledAt) {
      milestones.push({ name: 'CANCELLED', at: s.cancelledAt.toISOString(), ref: s.id, quantity, detail: { reason: s.cancellationReason } });
    }
    if (s.cancellationRefusedAt) {
      milestones.push({ name: 'CANCELLATION_REFUSED', at: s.cancellationRefusedAt.toISOString(), ref: s.id, quantity, detail: { reason: s.cancellationRefusedReason } });
    }
  }
  if (shipments.length === 0 && facts.cancellationRequestedAt) {
    // Cancelled before the shipments existed: none will be created.
    milestones.push({
      name: 'CANCELLED',
      at: facts.cancellationRequestedAt.toISOString(),
      detail: { reason: facts.cancellationReason, beforeShipmentsCreated: true },
    });
  }
  milestones.sort((a, b) => a.at.localeCompare(b.at));

  const dispatched = shipments.filter((s) => s.dispatchedAt !== null);
  return {
    orderId: facts.orderId,
    status: orderShipmentStatus(facts, shipments),
    updatedAt: facts.updatedAt.toISOString(),
    milestones,
    facts: {
      shipments: shipments.length,
      dispatched: dispatched.length,
      delivered: shipments.filter((s) => s.deliveredAt !== null).length,
      cancelled: shipments.filter((s) => s.status === 'CANCELLED').length,
      dispatchedValueMinor: dispatched.reduce((sum, s) => sum + s.valueMinor, 0),
      currency: facts.currency ?? shipments[0]?.currency ?? null,
      cancellationRefused: shipments.some((s) => s.cancellationRefusedAt !== null),
      awaitingFacts: shipments.length > 0 ? null : awaitingFacts(facts),
    },
  };
}
