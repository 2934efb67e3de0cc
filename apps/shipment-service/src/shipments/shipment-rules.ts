import { ConflictError } from '@commerce/platform';

/** A shipment's life: CREATED → DISPATCHED → DELIVERED; CREATED → CANCELLED. */
export const SHIPMENT_STATUSES = ['CREATED', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** What the warehouse does to a shipment through REST (or the auto-dispatch sweep). */
export type WarehouseAction = 'dispatch' | 'deliver';

/** The one state each warehouse action starts from, and where it leads. */
export const WAREHOUSE_TRANSITIONS: Record<WarehouseAction, { from: ShipmentStatus; to: ShipmentStatus }> = {
  dispatch: { from: 'CREATED', to: 'DISPATCHED' },
  deliver: { from: 'DISPATCHED', to: 'DELIVERED' },
};

/** The reason a dispatched shipment gives when the order is cancelled (part of the event contract). */
export const ALREADY_DISPATCHED = 'already dispatched';

export class ShipmentStateConflictError extends ConflictError {
  constructor(shipmentId: string, action: WarehouseAction, status: ShipmentStatus) {
    const required = WAREHOUSE_TRANSITIONS[action].from;
    super('shipment-state-conflict', `Shipment cannot be ${action === 'dispatch' ? 'dispatched' : 'delivered'}`, `Shipment ${shipmentId} is ${status}; ${action} needs ${required}`, {
      shipmentId,
      // Not `status`: that member of problem details is the HTTP status.
      shipmentStatus: status,
      requiredStatus: required,
    });
  }
}

/**
 * What an order cancellation does to one shipment: an undispatched one is cancelled; one that
 * has left the warehouse cannot be (no compensation exists), so the cancellation is refused;
 * an already cancelled one is left alone, so a second request changes nothing.
 */
export function cancellationOutcome(shipment: { status: ShipmentStatus; cancellationRefusedAt: Date | null }): 'cancel' | 'refuse' | 'none' {
  switch (shipment.status) {
    case 'CREATED':
      return 'cancel';
    case 'DISPATCHED':
    case 'DELIVERED':
      return shipment.cancellationRefusedAt ? 'none' : 'refuse';
    case 'CANCELLED':
      return 'none';
  }
}

/** The three facts a shipment needs, as far as they are known. */
export interface FactsKnown {
  orderPlacedAt: Date | null;
  inventoryReservedAt: Date | null;
  paymentAuthorizedAt: Date | null;
  shipmentsCreatedAt: Date | null;
  cancellationRequestedAt: Date | null;
}

/** Shipments are created once, when all three facts are known, unless the order was cancelled first. */
export function readyToCreateShipments(facts: FactsKnown): boolean {
  return (
    facts.shipmentsCreatedAt === null &&
    facts.cancellationRequestedAt === null &&
    facts.orderPlacedAt !== null &&
    facts.inventoryReservedAt !== null &&
    facts.paymentAuthorizedAt !== null
  );
}

/** The service's word for an order, as /milestones reports it. */
export type OrderShipmentStatus =
  | 'AWAITING'
  | 'CREATED'
  | 'PARTIALLY_DISPATCHED'
  | 'DISPATCHED'
  | 'DELIVERED'
  | 'CANCELLED'
  | 'CANCELLATION_REFUSED';

/**
 * Sums up an order's shipments in one word. A refused cancellation outranks "dispatched" (it is
 * what someone has to look at) until everything is delivered, which is final.
 */
export function orderShipmentStatus(
  facts: { cancellationRequestedAt: Date | null },
  shipments: ReadonlyArray<{ status: ShipmentStatus; cancellationRefusedAt: Date | null }>,
): OrderShipmentStatus {
  if (shipments.length === 0) return facts.cancellationRequestedAt ? 'CANCELLED' : 'AWAITING';
  const live = shipments.filter((s) => s.status !== 'CANCELLED');
  if (live.length === 0) return 'CANCELLED';
  if (live.every((s) => s.status === 'DELIVERED')) return 'DELIVERED';
  if (shipments.some((s) => s.cancellationRefusedAt !== null)) return 'CANCELLATION_REFUSED';
  const left = live.filter((s) => s.status !== 'CREATED').length;
  if (left === 0) return 'CREATED';
  return left === live.length ? 'DISPATCHED' : 'PARTIALLY_DISPATCHED';
}

/** The timestamps a shipment keeps, one per status it can be in. */
export interface ShipmentStamps {
  status: ShipmentStatus;
  createdAt: Date;
  dispatchedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
}

/** When the shipment entered its current status: each status has its own column, stamped on entry. */
export function enteredCurrentState(shipment: ShipmentStamps): Date | null {
  switch (shipment.status) {
    case 'CREATED':
      return shipment.createdAt;
    case 'DISPATCHED':
      return shipment.dispatchedAt;
    case 'DELIVERED':
      return shipment.deliveredAt;
    case 'CANCELLED':
      return shipment.cancelledAt;
  }
}
