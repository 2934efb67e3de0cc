import { type OrderMilestones, SERVICES } from '@commerce/contracts';
import { groupBy, type MilestonesSource, type Queryable } from '@commerce/milestones';
import type { OrderShipmentStatus } from '../shipments/shipment-rules';
import { type FactsRow, type ShipmentRow, toOrderMilestones } from './order-milestones';

/** These orders' facts and shipments, one query after the other on the connection given (the page's snapshot). */
async function deriveShipmentMilestones(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]> {
  const facts = (await db.query(
    `SELECT order_id AS "orderId", currency, order_placed_at AS "orderPlacedAt", inventory_reserved_at AS "inventoryReservedAt",
            payment_authorized_at AS "paymentAuthorizedAt", cancellation_requested_at AS "cancellationRequestedAt",
            cancellation_reason AS "cancellationReason", updated_at AS "updatedAt"
       FROM order_facts WHERE order_id = ANY($1::text[])`,
    [orderIds],
  )) as FactsRow[];
  if (facts.length === 0) return [];
  // value_minor is a bigint of minor units (far below 2^53): read as a number.
  const shipments = (await db.query(
    `SELECT id, order_id AS "orderId", node, status, lines, value_minor::float8 AS "valueMinor", currency, created_at AS "createdAt",
            dispatched_at AS "dispatchedAt", delivered_at AS "deliveredAt", cancelled_at AS "cancelledAt",
            cancellation_reason AS "cancellationReason", cancellation_refused_at AS "cancellationRefusedAt",
            cancellation_refused_reason AS "cancellationRefusedReason"
       FROM shipment WHERE order_id = ANY($1::text[]) ORDER BY created_at, node`,
    [facts.map((f) => f.orderId)],
  )) as Array<ShipmentRow & { orderId: string }>;
  const byOrder = groupBy(shipments, (s) => s.orderId);
  return facts.map((f) => toOrderMilestones(f, byOrder.get(f.orderId) ?? []));
}

/** Shipment's GET /milestones (libs/milestones): one order_facts row per order (index order_facts_by_order_id). */
export const milestonesSource: MilestonesSource = {
  service: SERVICES.shipment,
  table: 'order_facts',
  orderIdColumn: 'order_id',
  derive: deriveShipmentMilestones,
  openApi: {
    summary: "Shipment's milestones per order",
    statuses: ['AWAITING', 'CREATED', 'PARTIALLY_DISPATCHED', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'CANCELLATION_REFUSED'] satisfies OrderShipmentStatus[],
    facts: 'shipments, dispatched, delivered, cancelled, dispatchedValueMinor, currency, cancellationRefused, awaitingFacts',
  },
};
