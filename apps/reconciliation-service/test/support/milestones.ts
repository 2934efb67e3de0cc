import type { Milestone, NotificationKind, OrderMilestones } from '@commerce/contracts';
import { type OrderView, orderView, type ServiceAnswer, type SourceService } from '../../src/rules/order-view';

/**
 * Builders of each service's /milestones item in that service's own words (status words,
 * milestone names and facts keys as the five services expose them), for unit and integration tests.
 */

export const BASE_TIME = Date.parse('2025-01-01T10:00:00.000Z');
/** An ISO instant `minutes` after BASE_TIME. */
export const at = (minutes: number): string => new Date(BASE_TIME + minutes * 60_000).toISOString();
export const date = (minutes: number): Date => new Date(BASE_TIME + minutes * 60_000);

const lastAt = (milestones: Milestone[], fallback: string) =>
  milestones.reduce((max, m) => (m.at > max ? m.at : max), fallback);
const sorted = (milestones: Milestone[]) => [...milestones].sort((a, b) => a.at.localeCompare(b.at));

export interface OrderSpec {
  status?: string;
  placedAt?: string;
  confirmedAt?: string;
  rejectedAt?: string;
  shippedAt?: string;
  deliveredAt?: string;
  cancellationRequestedAt?: string;
  cancelledAt?: string;
  totalMinor?: number;
}

export function orderRecord(orderId: string, spec: OrderSpec = {}): OrderMilestones {
  const placedAt = spec.placedAt ?? at(0);
  const totalMinor = spec.totalMinor ?? 5000;
  const milestones: Milestone[] = [{ name: 'PLACED', at: placedAt, ref: orderId, amountMinor: totalMinor, currency: 'EUR', quantity: 3 }];
  if (spec.confirmedAt) milestones.push({ name: 'CONFIRMED', at: spec.confirmedAt, ref: 'pay-1', amountMinor: totalMinor, currency: 'EUR' });
  if (spec.rejectedAt) milestones.push({ name: 'REJECTED', at: spec.rejectedAt, detail: { by: 'payment' } });
  if (spec.shippedAt) milestones.push({ name: 'SHIPPED', at: spec.shippedAt, quantity: 1 });
  if (spec.deliveredAt) milestones.push({ name: 'DELIVERED', at: spec.deliveredAt, quantity: 1 });
  if (spec.cancellationRequestedAt) milestones.push({ name: 'CANCELLATION_REQUESTED', at: spec.cancellationRequestedAt, detail: { reason: 'changed mind' } });
  if (spec.cancelledAt) milestones.push({ name: 'CANCELLED', at: spec.cancelledAt });
  const status =
    spec.status ??
    (spec.cancelledAt ? 'CANCELLED' : spec.rejectedAt ? 'REJECTED' : spec.deliveredAt ? 'DELIVERED' : spec.shippedAt ? 'SHIPPED' : spec.confirmedAt ? 'CONFIRMED' : 'PLACED');
  return {
    orderId,
    status,
    updatedAt: lastAt(milestones, placedAt),
    milestones: sorted(milestones),
    facts: { totalMinor, currency: 'EUR', units: 3, lines: 2, cancellationRequested: spec.cancellationRequestedAt !== undefined },
  };
}

export interface InventorySpec {
  reservedAt?: string;
  rejectedAt?: string;
  releasedAt?: string;
  commits?: Array<{ shipmentId: string; at: string; units?: number }>;
  /** Units still held; default: 3 minus committed and released. */
  heldUnits?: number;
  status?: string;
}

export function inventoryRecord(orderId: string, spec: InventorySpec = {}): OrderMilestones {
  const milestones: Milestone[] = [];
  const reservationId = `res-${orderId}`;
  if (spec.rejectedAt) {
    milestones.push({ name: 'REJECTED', at: spec.rejectedAt, ref: reservationId, quantity: 3, detail: { reason: 'insufficient-stock', unavailable: [] } });
  } else {
    milestones.push({ name: 'RESERVED', at: spec.reservedAt ?? at(0), ref: reservationId, quantity: 3 });
  }
  let committedUnits = 0;
  for (const commit of spec.commits ?? []) {
    committedUnits += commit.units ?? 3;
    milestones.push({ name: 'COMMITTED', at: commit.at, ref: commit.shipmentId, quantity: commit.units ?? 3, detail: { reservationId, node: 'BER-1' } });
  }
  const releasedUnits = spec.releasedAt ? 3 - committedUnits : 0;
  if (spec.releasedAt) milestones.push({ name: 'RELEASED', at: spec.releasedAt, ref: reservationId, quantity: releasedUnits, detail: { reason: 'payment-declined' } });
  const held = spec.heldUnits ?? (spec.rejectedAt ? 0 : 3 - committedUnits - releasedUnits);
  const status =
    spec.status ??
    (spec.rejectedAt ? 'REJECTED' : spec.releasedAt ? 'RELEASED' : committedUnits >= 3 ? 'COMMITTED' : committedUnits > 0 ? 'PARTIALLY_COMMITTED' : 'RESERVED');
  return {
    orderId,
    status,
    updatedAt: lastAt(milestones, at(0)),
    milestones: sorted(milestones),
    facts: { reservationId, reservedUnits: held, committedUnits, releasedUnits, requestedUnits: 3 },
  };
}

export interface PaymentSpec {
  status?: string;
  authorizedAt?: string;
  authorizedMinor?: number;
  declinedAt?: string;
  captures?: Array<{ shipmentId: string; at: string; amountMinor: number }>;
  voidedAt?: string;
  voidedMinor?: number;
  refunds?: Array<{ at: string; amountMinor: number }>;
}

export function paymentRecord(orderId: string, spec: PaymentSpec = {}): OrderMilestones {
  const paymentId = `pay-${orderId}`;
  const milestones: Milestone[] = [];
  const authorizedMinor = spec.authorizedAt ? (spec.authorizedMinor ?? 5000) : 0;
  if (spec.authorizedAt) milestones.push({ name: 'AUTHORIZED', at: spec.authorizedAt, ref: paymentId, amountMinor: authorizedMinor, currency: 'EUR' });
  if (spec.declinedAt) milestones.push({ name: 'DECLINED', at: spec.declinedAt, ref: paymentId, detail: { reason: 'card declined' } });
  for (const capture of spec.captures ?? []) {
    milestones.push({ name: 'CAPTURED', at: capture.at, ref: capture.shipmentId, amountMinor: capture.amountMinor, currency: 'EUR' });
  }
  const voidedMinor = spec.voidedAt ? (spec.voidedMinor ?? authorizedMinor) : 0;
  if (spec.voidedAt) milestones.push({ name: 'VOIDED', at: spec.voidedAt, ref: paymentId, amountMinor: voidedMinor, currency: 'EUR' });
  (spec.refunds ?? []).forEach((refund, i) =>
    milestones.push({ name: 'REFUNDED', at: refund.at, ref: `ref-${i}`, amountMinor: refund.amountMinor, currency: 'EUR', detail: { paymentId } }),
  );
  const capturedMinor = (spec.captures ?? []).reduce((sum, c) => sum + c.amountMinor, 0);
  const refundedMinor = (spec.refunds ?? []).reduce((sum, r) => sum + r.amountMinor, 0);
  const status =
    spec.status ??
    (spec.declinedAt
      ? 'DECLINED'
      : refundedMinor > 0
        ? 'REFUNDED'
        : capturedMinor === 0
          ? voidedMinor > 0
            ? 'VOIDED'
            : spec.authorizedAt
              ? 'AUTHORIZED'
              : 'PENDING'
          : capturedMinor + voidedMinor >= authorizedMinor
            ? 'CAPTURED'
            : 'PARTIALLY_CAPTURED');
  return {
    orderId,
    status,
    updatedAt: lastAt(milestones, at(0)),
    milestones: sorted(milestones),
    facts: { paymentId, authorizedMinor, capturedMinor, refundedMinor, voidedMinor, currency: 'EUR' },
  };
}

export interface ShipmentSpec {
  id?: string;
  createdAt: string;
  dispatchedAt?: string;
  deliveredAt?: string;
  cancelledAt?: string;
  valueMinor?: number;
}

export function shipmentRecord(orderId: string, shipments: ShipmentSpec[], options: { cancelledBeforeCreationAt?: string; status?: string } = {}): OrderMilestones {
  const milestones: Milestone[] = [];
  shipments.forEach((s, i) => {
    const id = s.id ?? `shp-${i + 1}`;
    milestones.push({ name: 'CREATED', at: s.createdAt, ref: id, quantity: 3, detail: { node: 'BER-1' } });
    if (s.dispatchedAt) milestones.push({ name: 'DISPATCHED', at: s.dispatchedAt, ref: id, amountMinor: s.valueMinor ?? 5000, currency: 'EUR', quantity: 3 });
    if (s.deliveredAt) milestones.push({ name: 'DELIVERED', at: s.deliveredAt, ref: id, quantity: 3 });
    if (s.cancelledAt) milestones.push({ name: 'CANCELLED', at: s.cancelledAt, ref: id, quantity: 3, detail: { reason: 'order cancelled' } });
  });
  if (shipments.length === 0 && options.cancelledBeforeCreationAt) {
    milestones.push({ name: 'CANCELLED', at: options.cancelledBeforeCreationAt, detail: { reason: 'order cancelled', beforeShipmentsCreated: true } });
  }
  const live = shipments.filter((s) => !s.cancelledAt);
  const status =
    options.status ??
    (shipments.length === 0
      ? options.cancelledBeforeCreationAt
        ? 'CANCELLED'
        : 'AWAITING'
      : live.length === 0
        ? 'CANCELLED'
        : live.every((s) => s.deliveredAt)
          ? 'DELIVERED'
          : live.every((s) => s.dispatchedAt)
            ? 'DISPATCHED'
            : live.some((s) => s.dispatchedAt)
              ? 'PARTIALLY_DISPATCHED'
              : 'CREATED');
  const dispatched = shipments.filter((s) => s.dispatchedAt);
  return {
    orderId,
    status,
    updatedAt: lastAt(milestones, at(0)),
    milestones: sorted(milestones),
    facts: {
      shipments: shipments.length,
      dispatched: dispatched.length,
      delivered: shipments.filter((s) => s.deliveredAt).length,
      cancelled: shipments.filter((s) => s.cancelledAt).length,
      dispatchedValueMinor: dispatched.reduce((sum, s) => sum + (s.valueMinor ?? 5000), 0),
      currency: 'EUR',
      cancellationRefused: false,
      awaitingFacts: null,
    },
  };
}

/** notification-service: one milestone per notification, `<KIND>_SENT` (or `_FAILED`), and a sent flag per kind in facts. */
export function notificationRecord(orderId: string, sent: Partial<Record<NotificationKind, string>>, failed: NotificationKind[] = []): OrderMilestones {
  const milestones: Milestone[] = [
    ...Object.entries(sent).map(([kind, sentAt]) => ({
      name: `${kind.toUpperCase()}_SENT`,
      at: sentAt as string,
      ref: `ntf-${orderId}-${kind}`,
      detail: { channel: 'email', attempts: 1 },
    })),
    ...failed.map((kind) => ({ name: `${kind.toUpperCase()}_FAILED`, at: at(1), ref: `ntf-${orderId}-${kind}`, detail: { channel: 'email', attempts: 3 } })),
  ];
  const kinds = ['confirmed', 'rejected', 'dispatched', 'delivered', 'cancelled'] as const;
  const lastSent = Object.entries(sent).sort((a, b) => (a[1] as string).localeCompare(b[1] as string)).pop();
  return {
    orderId,
    status: lastSent ? lastSent[0].toUpperCase() : 'NONE',
    updatedAt: lastAt(milestones, at(0)),
    milestones: sorted(milestones),
    facts: Object.fromEntries(kinds.map((kind) => [kind, sent[kind] !== undefined])),
  };
}

/** Every service's record for one order that went all the way, consistently, to DELIVERED (minutes 0..30). */
export function deliveredOrder(orderId: string): OrderView {
  return orderView(
    orderId,
    {
      order: orderRecord(orderId, { placedAt: at(0), confirmedAt: at(2), shippedAt: at(10), deliveredAt: at(30) }),
      inventory: inventoryRecord(orderId, { reservedAt: at(1), commits: [{ shipmentId: 'shp-1', at: at(10) }] }),
      payment: paymentRecord(orderId, { authorizedAt: at(2), captures: [{ shipmentId: 'shp-1', at: at(11), amountMinor: 5000 }] }),
      shipment: shipmentRecord(orderId, [{ createdAt: at(3), dispatchedAt: at(10), deliveredAt: at(30) }]),
      notification: notificationRecord(orderId, { confirmed: at(2), dispatched: at(10), delivered: at(30) }),
    },
    date(60),
  );
}

/** Rejected by inventory: nothing reserved, payment and shipment never involved. */
export function rejectedOrder(orderId: string): OrderView {
  return orderView(
    orderId,
    {
      order: orderRecord(orderId, { placedAt: at(0), rejectedAt: at(1) }),
      inventory: inventoryRecord(orderId, { rejectedAt: at(1) }),
      payment: null,
      shipment: null,
      notification: notificationRecord(orderId, { rejected: at(1) }),
    },
    date(60),
  );
}

/** Payment declined: the reservation was released. */
export function declinedOrder(orderId: string): OrderView {
  return orderView(
    orderId,
    {
      order: orderRecord(orderId, { placedAt: at(0), rejectedAt: at(2) }),
      inventory: inventoryRecord(orderId, { reservedAt: at(1), releasedAt: at(3) }),
      payment: paymentRecord(orderId, { declinedAt: at(2) }),
      shipment: null,
      notification: notificationRecord(orderId, { rejected: at(2) }),
    },
    date(60),
  );
}

/** Cancelled after confirmation, before dispatch: released, voided, shipment cancelled. */
export function cancelledOrder(orderId: string): OrderView {
  return orderView(
    orderId,
    {
      order: orderRecord(orderId, { placedAt: at(0), confirmedAt: at(2), cancellationRequestedAt: at(5), cancelledAt: at(6) }),
      inventory: inventoryRecord(orderId, { reservedAt: at(1), releasedAt: at(6) }),
      payment: paymentRecord(orderId, { authorizedAt: at(2), voidedAt: at(6) }),
      shipment: shipmentRecord(orderId, [{ createdAt: at(3), cancelledAt: at(6) }]),
      notification: notificationRecord(orderId, { confirmed: at(2), cancelled: at(6) }),
    },
    date(60),
  );
}

/** The same view with some services' answers replaced. */
export function withAnswers(view: OrderView, answers: Partial<Record<SourceService, ServiceAnswer>>): OrderView {
  return { ...view, services: { ...view.services, ...answers } };
}
