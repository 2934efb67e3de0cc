import { OrderFactEntity } from './order-fact.entity';
import type { FactEventType, OrderStatus } from './order-status';
import { type OrderLine, OrderEntity, type ShippingAddress } from './order.entity';

/**
 * Orders and their facts read with plain SQL on the hot paths (placing an order, hearing a fact):
 * TypeORM's query building and hydration cost more CPU than the round trip they wrap.
 */
export const ORDER_COLUMNS = `o.id, o.customer_id, o.currency, o.lines, o.total_minor, o.units, o.payment_token, o.shipping_address,
  o.status, o.correlation_id, o.idempotency_key, o.request_fingerprint, o.placed_at, o.cancellation_requested_at,
  o.cancellation_reason, o.cancelled_at, o.status_entered_at, o.updated_at`;

export interface OrderRow {
  id: string;
  customer_id: string;
  currency: string;
  lines: OrderLine[];
  total_minor: string;
  units: number;
  payment_token: string;
  shipping_address: ShippingAddress;
  status: OrderStatus;
  correlation_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  placed_at: Date;
  cancellation_requested_at: Date | null;
  cancellation_reason: string | null;
  cancelled_at: Date | null;
  status_entered_at: Date | null;
  updated_at: Date;
}

/** One fact (FACT_COLUMNS) with its order's id as `id`. */
export interface FactRow {
  id: string;
  fact_id: string | null;
  fact_event_type: FactEventType;
  fact_ref: string;
  fact_event_id: string;
  fact_occurred_at: Date;
  fact_received_at: Date;
  fact_amount_minor: string | null;
  fact_currency: string | null;
  fact_detail: Record<string, unknown> | null;
}

export const FACT_COLUMNS = `f.id AS fact_id, f.event_type AS fact_event_type, f.ref AS fact_ref, f.event_id AS fact_event_id,
  f.occurred_at AS fact_occurred_at, f.received_at AS fact_received_at, f.amount_minor AS fact_amount_minor,
  f.currency AS fact_currency, f.detail AS fact_detail`;

export function orderOf(row: OrderRow): OrderEntity {
  return Object.assign(new OrderEntity(), {
    id: row.id,
    customerId: row.customer_id,
    currency: row.currency,
    lines: row.lines,
    totalMinor: Number(row.total_minor),
    units: row.units,
    paymentToken: row.payment_token,
    shippingAddress: row.shipping_address,
    status: row.status,
    correlationId: row.correlation_id,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    placedAt: row.placed_at,
    cancellationRequestedAt: row.cancellation_requested_at,
    cancellationReason: row.cancellation_reason,
    cancelledAt: row.cancelled_at,
    statusEnteredAt: row.status_entered_at,
    updatedAt: row.updated_at,
  });
}

/** The fact of a joined row, or null when the order has none. */
export function factOf(row: FactRow): OrderFactEntity | null {
  if (row.fact_id === null) return null;
  return Object.assign(new OrderFactEntity(), {
    id: row.fact_id,
    orderId: row.id,
    eventType: row.fact_event_type,
    ref: row.fact_ref,
    eventId: row.fact_event_id,
    occurredAt: row.fact_occurred_at,
    receivedAt: row.fact_received_at,
    amountMinor: row.fact_amount_minor === null ? null : Number(row.fact_amount_minor),
    currency: row.fact_currency,
    detail: row.fact_detail,
  });
}
