// The orders `bench:reconcile` seeds into the five services' own databases: rows as each service
// writes them, inserted in bulk (INSERT ... SELECT FROM generate_series) rather than through the
// flow. Every id is derived from the order's number g, so the five databases agree on which order
// is which without talking to each other.
//
// Every order is DELIVERED and consistent across the five services (placed, reserved, authorized,
// one shipment from BER-1 created, dispatched and delivered, captured, three notifications sent),
// except every DIVERGENT_EVERY-th order, whose payment was never captured.

/** Every this-many-th order (g % DIVERGENT_EVERY = 0) diverges: dispatched but not captured. */
export const DIVERGENT_EVERY = 1000;

/** How many of orders 1..n diverge. */
export const divergentOrders = (orders: number) => Math.floor(orders / DIVERGENT_EVERY);

// The order's times (placed at T0; everything done 30 minutes later, long past every grace period).
const T0 = `'2025-01-01T10:00:00Z'::timestamptz`;
const at = (minutes: number) => `${T0} + interval '${minutes} minutes'`;
const ORDER_ID = `md5('order-' || g)::uuid`;
const RESERVATION_ID = `md5('reservation-' || g)::uuid`;
const PAYMENT_ID = `md5('payment-' || g)::uuid`;
const SHIPMENT_ID = `'shp_' || md5('shipment-' || g)`;
const CAPTURED = `g % ${DIVERGENT_EVERY} <> 0`;
const LINES = `'[{"sku":"SKU-MUG-RED","quantity":2,"unitPriceMinor":1250},{"sku":"SKU-TEE-BLUE","quantity":1,"unitPriceMinor":2500}]'`;
const ADDRESS = `'{"name":"Ada Lovelace","line1":"Torstraße 1","city":"Berlin","postalCode":"10119","country":"DE"}'`;
/** Orders $1..$2 (a chunk, so the seeding can report progress). */
const CHUNK = 'generate_series($1::int, $2::int) g';

export type BenchService = 'order' | 'inventory' | 'payment' | 'shipment' | 'notification';

export interface ServiceSeed {
  /** The table with one row per order (counted to tell whether a database is already seeded). */
  perOrderTable: string;
  /** Inserts orders $1..$2, in order. */
  insert: string[];
  /** Bumps updated_at of the orders numbered $1 (an int[]), as any change would. */
  touch: string;
}

export const SEEDS: Record<BenchService, ServiceSeed> = {
  order: {
    perOrderTable: 'customer_order',
    insert: [
      `INSERT INTO customer_order (id, customer_id, currency, lines, total_minor, units, payment_token, shipping_address, status,
         correlation_id, idempotency_key, request_fingerprint, placed_at, updated_at)
       SELECT ${ORDER_ID}, 'cus_' || g, 'EUR', ${LINES}, 5000, 3, 'tok_ok', ${ADDRESS}, 'DELIVERED',
         'bench-' || g, 'bench-' || g, 'bench', ${T0}, ${at(30)}
       FROM ${CHUNK}`,
      `INSERT INTO order_fact (order_id, event_type, ref, event_id, occurred_at, received_at, amount_minor, currency)
       SELECT ${ORDER_ID}, f.event_type,
         CASE f.ref WHEN 'reservation' THEN ${RESERVATION_ID}::text WHEN 'payment' THEN ${PAYMENT_ID}::text ELSE ${SHIPMENT_ID} END,
         gen_random_uuid(), ${T0} + f.after, ${T0} + f.after, f.amount_minor, f.currency
       FROM ${CHUNK}, (VALUES
         ('InventoryReserved', 'reservation', interval '1 minute', NULL::bigint, NULL),
         ('PaymentAuthorized', 'payment', interval '2 minutes', 5000, 'EUR'),
         ('ShipmentCreated', 'shipment', interval '3 minutes', NULL, NULL),
         ('ShipmentDispatched', 'shipment', interval '10 minutes', 5000, 'EUR'),
         ('ShipmentDelivered', 'shipment', interval '30 minutes', NULL, NULL)
       ) f(event_type, ref, after, amount_minor, currency)`,
    ],
    touch: `UPDATE customer_order SET updated_at = clock_timestamp() WHERE id IN (SELECT md5('order-' || g)::uuid FROM unnest($1::int[]) g)`,
  },
  inventory: {
    perOrderTable: 'reservation',
    insert: [
      `INSERT INTO reservation (reservation_id, order_id, status, total_minor, currency, requested_units, created_at, updated_at)
       SELECT ${RESERVATION_ID}, ${ORDER_ID}::text, 'COMMITTED', 5000, 'EUR', 3, ${at(1)}, ${at(10)}
       FROM ${CHUNK}`,
      `INSERT INTO reservation_line (reservation_id, line_no, sku, node, quantity, committed_quantity)
       SELECT ${RESERVATION_ID}, l.line_no, l.sku, 'BER-1', l.quantity, l.quantity
       FROM ${CHUNK}, (VALUES (1, 'SKU-MUG-RED', 2), (2, 'SKU-TEE-BLUE', 1)) l(line_no, sku, quantity)`,
      `INSERT INTO reservation_commit (reservation_id, shipment_id, node, lines, units, committed_at)
       SELECT ${RESERVATION_ID}, ${SHIPMENT_ID}, 'BER-1', '[{"sku":"SKU-MUG-RED","quantity":2},{"sku":"SKU-TEE-BLUE","quantity":1}]', 3, ${at(10)}
       FROM ${CHUNK}`,
    ],
    touch: `UPDATE reservation SET updated_at = clock_timestamp() WHERE order_id IN (SELECT md5('order-' || g)::uuid::text FROM unnest($1::int[]) g)`,
  },
  payment: {
    perOrderTable: 'payment',
    insert: [
      `INSERT INTO payment (payment_id, order_id, status, currency, payment_token, order_total_minor, amount_to_authorize_minor,
         authorized_minor, captured_minor, authorized_at, created_at, updated_at)
       SELECT ${PAYMENT_ID}, ${ORDER_ID}::text, CASE WHEN ${CAPTURED} THEN 'CAPTURED' ELSE 'AUTHORIZED' END, 'EUR', 'tok_ok', 5000, 5000,
         5000, CASE WHEN ${CAPTURED} THEN 5000 ELSE 0 END, ${at(2)}, ${at(1)}, ${at(11)}
       FROM ${CHUNK}`,
      `INSERT INTO payment_capture (payment_id, shipment_id, amount_minor, currency, captured_at)
       SELECT ${PAYMENT_ID}, ${SHIPMENT_ID}, 5000, 'EUR', ${at(11)} FROM ${CHUNK} WHERE ${CAPTURED}`,
    ],
    touch: `UPDATE payment SET updated_at = clock_timestamp() WHERE order_id IN (SELECT md5('order-' || g)::uuid::text FROM unnest($1::int[]) g)`,
  },
  shipment: {
    perOrderTable: 'order_facts',
    insert: [
      `INSERT INTO order_facts (order_id, correlation_id, currency, order_lines, shipping_address, order_placed_at, reservation_id,
         inventory_reserved_at, payment_id, authorized_minor, payment_authorized_at, shipments_created_at, created_at, updated_at)
       SELECT ${ORDER_ID}::text, 'bench-' || g, 'EUR', ${LINES}, ${ADDRESS}, ${T0}, ${RESERVATION_ID}::text, ${at(1)},
         ${PAYMENT_ID}::text, 5000, ${at(2)}, ${at(3)}, ${T0}, ${at(30)}
       FROM ${CHUNK}`,
      `INSERT INTO shipment (id, order_id, node, status, lines, value_minor, currency, shipping_address, created_at, dispatched_at,
         delivered_at, updated_at)
       SELECT ${SHIPMENT_ID}, ${ORDER_ID}::text, 'BER-1', 'DELIVERED', ${LINES}, 5000, 'EUR', ${ADDRESS}, ${at(3)}, ${at(10)}, ${at(30)}, ${at(30)}
       FROM ${CHUNK}`,
    ],
    touch: `UPDATE order_facts SET updated_at = clock_timestamp() WHERE order_id IN (SELECT md5('order-' || g)::uuid::text FROM unnest($1::int[]) g)`,
  },
  notification: {
    perOrderTable: 'notified_order',
    insert: [
      `INSERT INTO notified_order (order_id, updated_at) SELECT ${ORDER_ID}::text, ${at(30)} FROM ${CHUNK}`,
      `INSERT INTO notification (id, order_id, kind, channel, status, attempts, correlation_id, caused_by, cause_event_id, created_at,
         sent_at, updated_at)
       SELECT md5('notification-' || n.kind || '-' || g)::uuid, ${ORDER_ID}::text, n.kind, 'email', 'SENT', 1, 'bench-' || g, n.caused_by,
         gen_random_uuid(), ${T0} + n.after, ${T0} + n.after, ${T0} + n.after
       FROM ${CHUNK}, (VALUES
         ('confirmed', 'PaymentAuthorized', interval '2 minutes'),
         ('dispatched', 'ShipmentDispatched', interval '10 minutes'),
         ('delivered', 'ShipmentDelivered', interval '30 minutes')
       ) n(kind, caused_by, after)`,
    ],
    touch: `UPDATE notified_order SET updated_at = clock_timestamp() WHERE order_id IN (SELECT md5('order-' || g)::uuid::text FROM unnest($1::int[]) g)`,
  },
};
