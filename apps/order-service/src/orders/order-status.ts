/**
 * The order's status, derived from the facts the order service has heard, never from the order
 * in which it heard them: inventory, payment and shipment events travel on different topics and
 * may arrive in any order, so the same set of facts must always give the same status.
 *
 * Plain functions over plain data: no Nest, no database.
 */

export const ORDER_STATUSES = ['PLACED', 'CONFIRMED', 'REJECTED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which a cancellation can no longer be asked for. */
export const NON_CANCELLABLE_STATUSES: readonly OrderStatus[] = ['REJECTED', 'CANCELLED', 'DELIVERED'];

/** The upstream events the order service records as facts (each is an event type of the catalog). */
export const FACT_EVENT_TYPES = [
  'InventoryReserved',
  'InventoryRejected',
  'InventoryReleased',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentVoided',
  'PaymentRefunded',
  'PaymentCaptured',
  'ShipmentCreated',
  'ShipmentDispatched',
  'ShipmentDelivered',
  'ShipmentCancelled',
  'ShipmentCancellationRefused',
] as const;
export type FactEventType = (typeof FACT_EVENT_TYPES)[number];

/** One fact heard from another service. */
export interface HeardFact {
  event: FactEventType;
  /** When it happened (the event's occurredAt), ISO-8601. */
  at: string;
  /** reservationId, paymentId or shipmentId (for PaymentCaptured: the shipmentId captured). */
  ref: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface StatusInputs {
  /** When the customer asked to cancel; null if never. */
  cancellationRequestedAt: string | null;
  /** When the order was first found CANCELLED; CANCELLED is final, whatever arrives later. */
  cancelledAt: string | null;
  heard: readonly HeardFact[];
}

/** What the order knows about one shipment, from the shipment events carrying its id. */
export interface ShipmentView {
  shipmentId: string;
  created: boolean;
  dispatchedAt: string | null;
  deliveredAt: string | null;
  cancelled: boolean;
  cancellationRefusedAt: string | null;
}

const SHIPMENT_EVENTS: ReadonlySet<FactEventType> = new Set([
  'ShipmentCreated',
  'ShipmentDispatched',
  'ShipmentDelivered',
  'ShipmentCancelled',
  'ShipmentCancellationRefused',
]);

/** Every shipment heard of (by any shipment event, not only ShipmentCreated), in first-heard order. */
export function shipmentsOf(heard: readonly HeardFact[]): ShipmentView[] {
  const byId = new Map<string, ShipmentView>();
  for (const fact of heard) {
    if (!SHIPMENT_EVENTS.has(fact.event) || !fact.ref) continue;
    const shipment = byId.get(fact.ref) ?? {
      shipmentId: fact.ref,
      created: false,
      dispatchedAt: null,
      deliveredAt: null,
      cancelled: false,
      cancellationRefusedAt: null,
    };
    switch (fact.event) {
      case 'ShipmentCreated':
        shipment.created = true;
        break;
      case 'ShipmentDispatched':
        shipment.dispatchedAt = fact.at;
        break;
      case 'ShipmentDelivered':
        shipment.deliveredAt = fact.at;
        break;
      case 'ShipmentCancelled':
        shipment.cancelled = true;
        break;
      case 'ShipmentCancellationRefused':
        shipment.cancellationRefusedAt = fact.at;
        break;
    }
    byId.set(fact.ref, shipment);
  }
  return [...byId.values()];
}

/** The shipments still meant to reach the customer: a cancelled shipment will never be dispatched. */
function activeShipments(heard: readonly HeardFact[]): ShipmentView[] {
  return shipmentsOf(heard).filter((shipment) => !shipment.cancelled);
}

function has(heard: readonly HeardFact[], ...events: FactEventType[]): boolean {
  return heard.some((fact) => events.includes(fact.event));
}

/**
 * Every compensation of a cancellation has been heard: nothing stays reserved, nothing stays
 * authorized or charged, and every shipment heard of was cancelled.
 */
export function compensationsComplete(heard: readonly HeardFact[]): boolean {
  const reservationSettled = !has(heard, 'InventoryReserved') || has(heard, 'InventoryReleased');
  const paymentSettled = !has(heard, 'PaymentAuthorized') || has(heard, 'PaymentVoided', 'PaymentRefunded');
  const shipmentsSettled = shipmentsOf(heard).every((shipment) => shipment.cancelled);
  return reservationSettled && paymentSettled && shipmentsSettled;
}

/**
 * The order status from its facts, first rule that holds:
 * 1. CANCELLED once it was CANCELLED (final);
 * 2. REJECTED if inventory rejected or payment declined;
 * 3. CANCELLED if a cancellation was requested and its compensations are heard;
 * 4. DELIVERED when every shipment (not cancelled) is delivered;
 * 5. SHIPPED when every shipment (not cancelled) is dispatched;
 * 6. CONFIRMED when the payment is authorized;
 * 7. PLACED otherwise.
 * A refused cancellation changes nothing here: the order keeps its shipping status.
 */
export function deriveOrderStatus(inputs: StatusInputs): OrderStatus {
  const { heard } = inputs;
  if (inputs.cancelledAt !== null) return 'CANCELLED';
  if (has(heard, 'InventoryRejected', 'PaymentDeclined')) return 'REJECTED';
  if (inputs.cancellationRequestedAt !== null && compensationsComplete(heard)) return 'CANCELLED';
  const active = activeShipments(heard);
  if (active.length > 0 && active.every((shipment) => shipment.deliveredAt !== null)) return 'DELIVERED';
  if (active.length > 0 && active.every((shipment) => shipment.dispatchedAt !== null || shipment.deliveredAt !== null)) return 'SHIPPED';
  if (has(heard, 'PaymentAuthorized')) return 'CONFIRMED';
  return 'PLACED';
}

/** A milestone as GET /milestones and GET /orders/:id show it (contract: `Milestone` in contracts). */
export interface OrderMilestone {
  name: 'PLACED' | 'CONFIRMED' | 'REJECTED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLATION_REQUESTED' | 'CANCELLED' | 'CANCELLATION_REFUSED';
  at: string;
  ref?: string;
  amountMinor?: number;
  currency?: string;
  quantity?: number;
  detail?: Record<string, unknown>;
}

export interface MilestoneInputs extends StatusInputs {
  orderId: string;
  placedAt: string;
  totalMinor: number;
  currency: string;
  units: number;
  cancellationReason: string | null;
}

const latest = (times: string[]): string => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** What happened to the order, oldest first, each at the time the deciding fact happened. */
export function orderMilestones(order: MilestoneInputs): OrderMilestone[] {
  const { heard } = order;
  const milestones: OrderMilestone[] = [
    { name: 'PLACED', at: order.placedAt, ref: order.orderId, amountMinor: order.totalMinor, currency: order.currency, quantity: order.units },
  ];

  const authorized = heard.find((fact) => fact.event === 'PaymentAuthorized');
  if (authorized) {
    milestones.push({
      name: 'CONFIRMED',
      at: authorized.at,
      ...(authorized.ref ? { ref: authorized.ref } : {}),
      ...(authorized.amountMinor != null ? { amountMinor: authorized.amountMinor } : {}),
      ...(authorized.currency ? { currency: authorized.currency } : {}),
    });
  }

  const rejections = heard.filter((fact) => fact.event === 'InventoryRejected' || fact.event === 'PaymentDeclined');
  if (rejections.length > 0) {
    const first = rejections.reduce((a, b) => (Date.parse(b.at) < Date.parse(a.at) ? b : a));
    milestones.push({
      name: 'REJECTED',
      at: first.at,
      ...(first.ref ? { ref: first.ref } : {}),
      detail: { by: first.event === 'InventoryRejected' ? 'inventory' : 'payment', ...(first.detail ?? {}) },
    });
  }

  const active = activeShipments(heard);
  const dispatched = active.map((shipment) => shipment.dispatchedAt ?? shipment.deliveredAt);
  if (active.length > 0 && dispatched.every((at): at is string => at !== null)) {
    milestones.push({ name: 'SHIPPED', at: latest(dispatched), quantity: active.length });
  }
  const delivered = active.map((shipment) => shipment.deliveredAt);
  if (active.length > 0 && delivered.every((at): at is string => at !== null)) {
    milestones.push({ name: 'DELIVERED', at: latest(delivered), quantity: active.length });
  }

  if (order.cancellationRequestedAt !== null) {
    milestones.push({
      name: 'CANCELLATION_REQUESTED',
      at: order.cancellationRequestedAt,
      ...(order.cancellationReason ? { detail: { reason: order.cancellationReason } } : {}),
    });
  }
  for (const shipment of shipmentsOf(heard)) {
    if (shipment.cancellationRefusedAt !== null) {
      milestones.push({ name: 'CANCELLATION_REFUSED', at: shipment.cancellationRefusedAt, ref: shipment.shipmentId });
    }
  }
  if (deriveOrderStatus(order) === 'CANCELLED') {
    milestones.push({ name: 'CANCELLED', at: order.cancelledAt ?? order.cancellationRequestedAt ?? order.placedAt });
  }

  // Stable: equal times keep the order above (PLACED before what follows it).
  return milestones
    .map((milestone, index) => ({ milestone, index }))
    .sort((a, b) => Date.parse(a.milestone.at) - Date.parse(b.milestone.at) || a.index - b.index)
    .map(({ milestone }) => milestone);
}
