import { type OrderMilestones, SERVICES } from '@commerce/contracts';
import type { MilestonesSource, Queryable } from '@commerce/milestones';
import { isUuid } from '@commerce/platform';
import { ORDER_STATUSES, orderMilestones, type OrderStatus } from '../orders/order-status';
import { type MilestoneFact, milestoneInputs, type MilestoneOrder } from '../orders/order-view';

/** One order as /milestones reads it: the columns it needs, with its facts (oldest first) as JSON. */
interface OrderRow {
  id: string;
  status: OrderStatus;
  currency: string;
  line_count: number;
  total_minor: string;
  units: number;
  placed_at: Date;
  cancellation_requested_at: Date | null;
  cancellation_reason: string | null;
  cancelled_at: Date | null;
  updated_at: Date;
  facts: Array<Omit<MilestoneFact, 'occurredAt'> & { occurredAt: string }>;
}

/** Orders and their facts in one statement (one round trip per page). */
const SELECT_ORDERS = `
  SELECT o.id, o.status, o.currency, jsonb_array_length(o.lines) AS line_count, o.total_minor, o.units, o.placed_at,
         o.cancellation_requested_at, o.cancellation_reason, o.cancelled_at, o.updated_at,
         (SELECT coalesce(json_agg(json_build_object('eventType', f.event_type, 'occurredAt', f.occurred_at, 'ref', f.ref,
                   'amountMinor', f.amount_minor, 'currency', f.currency, 'detail', f.detail) ORDER BY f.occurred_at, f.id), '[]')
            FROM order_fact f WHERE f.order_id = o.id) AS facts
    FROM customer_order o
   WHERE o.id = ANY($1::uuid[])`;

/** The order service's own account of each order, for the reconciliation service. */
export function toOrderMilestones(row: OrderRow): OrderMilestones {
  const order: MilestoneOrder = {
    id: row.id,
    placedAt: row.placed_at,
    totalMinor: Number(row.total_minor),
    currency: row.currency,
    units: row.units,
    cancellationRequestedAt: row.cancellation_requested_at,
    cancellationReason: row.cancellation_reason,
    cancelledAt: row.cancelled_at,
  };
  const facts = row.facts.map((fact) => ({ ...fact, occurredAt: new Date(fact.occurredAt) }));
  return {
    orderId: row.id,
    status: row.status,
    updatedAt: row.updated_at.toISOString(),
    milestones: orderMilestones(milestoneInputs(order, facts)),
    facts: {
      totalMinor: order.totalMinor,
      currency: row.currency,
      units: row.units,
      lines: row.line_count,
      cancellationRequested: row.cancellation_requested_at !== null,
    },
  };
}

/** These orders' items; ids that are no uuid name no order. */
async function deriveOrderMilestones(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]> {
  const ids = orderIds.filter(isUuid);
  if (ids.length === 0) return [];
  return ((await db.query(SELECT_ORDERS, [ids])) as OrderRow[]).map(toOrderMilestones);
}

/** The order service's GET /milestones (libs/milestones): one row per order in customer_order, keyed by a uuid. */
export const milestonesSource: MilestonesSource = {
  service: SERVICES.order,
  table: 'customer_order',
  orderIdColumn: 'id',
  orderIdType: 'uuid',
  derive: deriveOrderMilestones,
  openApi: {
    summary: "The order service's status, milestones and facts per order",
    statuses: ORDER_STATUSES,
    facts: 'totalMinor, currency, units, lines, cancellationRequested',
  },
};
