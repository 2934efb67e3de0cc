/**
 * After the run: nothing lost, nothing twice, read from each service's own database. Every order
 * the bench placed ends DELIVERED with one reservation committed, one payment captured once per
 * shipment, one delivered shipment, one notification of each kind; stock is conserved.
 */
import { Client } from 'pg';

/** Kinds a delivered order's customer is told of, once each (notification-service). */
const DELIVERED_ORDER_NOTIFICATIONS = ['confirmed', 'dispatched', 'delivered'];

async function query<T extends object>(url: string, sql: string, params: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** `count` problems of one kind, with a few orderIds to look at. */
function problem(what: string, orderIds: readonly string[]): string[] {
  return orderIds.length === 0 ? [] : [`${orderIds.length} ${what} (e.g. ${orderIds.slice(0, 3).join(', ')})`];
}

export interface CheckInput {
  /** Connection URL per service (full name) to its database. */
  databaseUrls: Record<string, string>;
  /** Every order the bench saw accepted. */
  orderIds: readonly string[];
  /** Units each SKU was stocked with before the first order. */
  stockedUnits: number;
  skus: readonly string[];
}

/** Violations found; empty when the run lost and doubled nothing. */
export async function checkNothingLostOrDoubled(input: CheckInput): Promise<string[]> {
  const ids = [...input.orderIds];
  const urls = input.databaseUrls;
  const violations: string[] = [];

  const orders = await query<{ id: string; status: string }>(urls['order-service'], 'SELECT id, status FROM customer_order', []);
  const known = new Set(ids);
  const statusOf = new Map(orders.map((o) => [o.id, o.status]));
  violations.push(...problem('orders accepted but missing in the order service', ids.filter((id) => !statusOf.has(id))));
  violations.push(...problem('orders in the order service the bench never saw accepted', orders.filter((o) => !known.has(o.id)).map((o) => o.id)));
  violations.push(...problem('orders not DELIVERED', orders.filter((o) => o.status !== 'DELIVERED').map((o) => o.id)));

  const reservations = await query<{ order_id: string; n: string; committed: string }>(
    urls['inventory-service'],
    `SELECT r.order_id, count(DISTINCT r.reservation_id) AS n,
            sum(l.committed_quantity) FILTER (WHERE r.status = 'COMMITTED') AS committed
       FROM reservation r JOIN reservation_line l USING (reservation_id)
      WHERE r.order_id = ANY($1) GROUP BY r.order_id`,
    [ids],
  );
  const reservationOf = new Map(reservations.map((r) => [r.order_id, r]));
  violations.push(...problem('orders without exactly one reservation', ids.filter((id) => reservationOf.get(id)?.n !== '1')));
  violations.push(...problem('reservations not COMMITTED for their one unit', ids.filter((id) => reservationOf.get(id)?.committed !== '1')));
  const stock = await query<{ sku: string; on_hand: number; reserved: number; committed: string }>(
    urls['inventory-service'],
    `SELECT s.sku, s.on_hand, s.reserved,
            coalesce((SELECT sum(l.committed_quantity) FROM reservation_line l WHERE l.sku = s.sku AND l.node = s.node), 0) AS committed
       FROM stock_level s WHERE s.sku = ANY($1)`,
    [input.skus],
  );
  for (const s of stock) {
    if (s.on_hand + Number(s.committed) !== input.stockedUnits || s.reserved !== 0) {
      violations.push(`stock of ${s.sku} not conserved: on hand ${s.on_hand} + committed ${s.committed} != stocked ${input.stockedUnits}, reserved ${s.reserved}`);
    }
  }
  if (stock.length !== input.skus.length) violations.push(`${input.skus.length - stock.length} stocked SKUs missing in the inventory service`);

  const shipments = await query<{ id: string; order_id: string; status: string }>(
    urls['shipment-service'],
    'SELECT id, order_id, status FROM shipment WHERE order_id = ANY($1)',
    [ids],
  );
  const shipmentsPerOrder = new Map<string, number>();
  for (const s of shipments) shipmentsPerOrder.set(s.order_id, (shipmentsPerOrder.get(s.order_id) ?? 0) + 1);
  violations.push(...problem('orders without exactly one shipment', ids.filter((id) => shipmentsPerOrder.get(id) !== 1)));
  violations.push(...problem('shipments not DELIVERED', shipments.filter((s) => s.status !== 'DELIVERED').map((s) => s.order_id)));

  const captures = await query<{ order_id: string; shipment_id: string | null; status: string; captured_minor: string; authorized_minor: string }>(
    urls['payment-service'],
    `SELECT p.order_id, c.shipment_id, p.status, p.captured_minor, p.authorized_minor
       FROM payment p LEFT JOIN payment_capture c USING (payment_id) WHERE p.order_id = ANY($1)`,
    [ids],
  );
  const capturesOf = new Map<string, number>();
  for (const c of captures) if (c.shipment_id) capturesOf.set(c.shipment_id, (capturesOf.get(c.shipment_id) ?? 0) + 1);
  violations.push(...problem('shipments not captured exactly once', shipments.filter((s) => capturesOf.get(s.id) !== 1).map((s) => s.order_id)));
  const paidOrders = new Set(captures.map((c) => c.order_id));
  violations.push(...problem('orders without a payment', ids.filter((id) => !paidOrders.has(id))));
  violations.push(
    ...problem('payments not CAPTURED in full', captures.filter((c) => c.status !== 'CAPTURED' || c.captured_minor !== c.authorized_minor).map((c) => c.order_id)),
  );

  const notifications = await query<{ order_id: string; kind: string; n: string; sent: string }>(
    urls['notification-service'],
    `SELECT order_id, kind, count(*) AS n, count(*) FILTER (WHERE status = 'SENT') AS sent
       FROM notification WHERE order_id = ANY($1) GROUP BY order_id, kind`,
    [ids],
  );
  const told = new Map<string, Map<string, { n: string; sent: string }>>();
  for (const n of notifications) {
    if (!told.has(n.order_id)) told.set(n.order_id, new Map());
    told.get(n.order_id)?.set(n.kind, n);
  }
  for (const kind of DELIVERED_ORDER_NOTIFICATIONS) {
    violations.push(...problem(`orders without exactly one SENT "${kind}" notification`, ids.filter((id) => {
      const n = told.get(id)?.get(kind);
      return n?.n !== '1' || n.sent !== '1';
    })));
  }
  violations.push(
    ...problem('notifications of an unexpected kind', notifications.filter((n) => !DELIVERED_ORDER_NOTIFICATIONS.includes(n.kind)).map((n) => n.order_id)),
  );
  return violations;
}
