/**
 * Sample messages for producer and consumer tests: one valid envelope per event type, all about
 * the same order, with fixed ids and timestamps and a causation chain that follows the flows.
 * The samples are deep-frozen; use `sampleEvent(type, overrides)` for a fresh, editable copy.
 */
import type { EventPayloads, EventType } from '../catalog';
import type { EventEnvelope } from '../envelope';

export const SAMPLE_IDS = {
  orderId: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f601',
  correlationId: '6f1c2a3b-4d5e-4f60-8a71-b2c3d4e5f602',
  customerId: 'cus_1001',
  reservationId: 'res_2001',
  paymentId: 'pay_3001',
  shipmentId: 'shp_4001',
  notificationId: 'ntf_5001',
  caseId: 'case_6001',
} as const;

const ids = SAMPLE_IDS;

/** Deterministic event ids: `00000000-0000-4000-8000-0000000000NN`. */
const eventId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Deterministic timestamps, one minute apart from 2025-01-15T10:00:00Z. */
const at = (minute: number): string => new Date(Date.UTC(2025, 0, 15, 10, minute)).toISOString();

function meta(n: number, producer: string, causationId: string | null) {
  return {
    eventId: eventId(n),
    occurredAt: at(n),
    orderId: ids.orderId,
    correlationId: ids.correlationId,
    causationId,
    producer,
  };
}

const E = {
  orderPlaced: eventId(1),
  inventoryReserved: eventId(3),
  paymentAuthorized: eventId(6),
  paymentDeclined: eventId(7),
  shipmentCreated: eventId(9),
  shipmentDispatched: eventId(10),
  cancellationRequested: eventId(14),
};

// The order: 2 × mug at 12.50 EUR (Berlin) + 1 × tee at 25.00 EUR (Hamburg) = 50.00 EUR.
const mug = { sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 };
const tee = { sku: 'SKU-TEE-BLUE', quantity: 1, unitPriceMinor: 2500 };
const reservedLines = [
  { sku: mug.sku, quantity: mug.quantity, node: 'wh-berlin' },
  { sku: tee.sku, quantity: tee.quantity, node: 'wh-hamburg' },
];

const samples: { [T in EventType]: EventEnvelope<T> } = {
  OrderPlaced: {
    ...meta(1, 'order-service', null),
    type: 'OrderPlaced',
    version: 1,
    payload: {
      customerId: ids.customerId,
      lines: [mug, tee],
      currency: 'EUR',
      totalMinor: 5000,
      paymentToken: 'tok_ok',
      shippingAddress: { name: 'Ada Lovelace', line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    },
  },
  InventoryRejected: {
    ...meta(2, 'inventory-service', E.orderPlaced),
    type: 'InventoryRejected',
    version: 1,
    payload: { reason: 'insufficient-stock', unavailable: [{ sku: tee.sku, requested: 1, available: 0 }] },
  },
  InventoryReserved: {
    ...meta(3, 'inventory-service', E.orderPlaced),
    type: 'InventoryReserved',
    version: 1,
    payload: { reservationId: ids.reservationId, lines: reservedLines, totalMinor: 5000, currency: 'EUR' },
  },
  PaymentAuthorized: {
    ...meta(6, 'payment-service', E.inventoryReserved),
    type: 'PaymentAuthorized',
    version: 1,
    payload: { paymentId: ids.paymentId, amountMinor: 5000, currency: 'EUR' },
  },
  PaymentDeclined: {
    ...meta(7, 'payment-service', E.inventoryReserved),
    type: 'PaymentDeclined',
    version: 1,
    payload: { paymentId: ids.paymentId, reason: 'card-declined' },
  },
  InventoryReleased: {
    ...meta(8, 'inventory-service', E.paymentDeclined),
    type: 'InventoryReleased',
    version: 1,
    payload: { reservationId: ids.reservationId, reason: 'payment-declined', lines: reservedLines },
  },
  ShipmentCreated: {
    ...meta(9, 'shipment-service', E.paymentAuthorized),
    type: 'ShipmentCreated',
    version: 1,
    payload: { shipmentId: ids.shipmentId, node: 'wh-berlin', lines: [mug] },
  },
  ShipmentDispatched: {
    ...meta(10, 'shipment-service', E.shipmentCreated),
    type: 'ShipmentDispatched',
    version: 1,
    payload: { shipmentId: ids.shipmentId, node: 'wh-berlin', lines: [mug], valueMinor: 2500, currency: 'EUR' },
  },
  PaymentCaptured: {
    ...meta(11, 'payment-service', E.shipmentDispatched),
    type: 'PaymentCaptured',
    version: 1,
    payload: { paymentId: ids.paymentId, shipmentId: ids.shipmentId, amountMinor: 2500, currency: 'EUR' },
  },
  InventoryCommitted: {
    ...meta(12, 'inventory-service', E.shipmentDispatched),
    type: 'InventoryCommitted',
    version: 1,
    payload: { reservationId: ids.reservationId, shipmentId: ids.shipmentId, lines: [reservedLines[0]] },
  },
  ShipmentDelivered: {
    ...meta(13, 'shipment-service', E.shipmentDispatched),
    type: 'ShipmentDelivered',
    version: 1,
    payload: { shipmentId: ids.shipmentId },
  },
  OrderCancellationRequested: {
    ...meta(14, 'order-service', null),
    type: 'OrderCancellationRequested',
    version: 1,
    payload: { reason: 'customer-request' },
  },
  ShipmentCancelled: {
    ...meta(15, 'shipment-service', E.cancellationRequested),
    type: 'ShipmentCancelled',
    version: 1,
    payload: { shipmentId: ids.shipmentId, reason: 'order-cancelled' },
  },
  ShipmentCancellationRefused: {
    ...meta(16, 'shipment-service', E.cancellationRequested),
    type: 'ShipmentCancellationRefused',
    version: 1,
    payload: { shipmentId: ids.shipmentId, reason: 'already-dispatched' },
  },
  PaymentVoided: {
    ...meta(17, 'payment-service', E.cancellationRequested),
    type: 'PaymentVoided',
    version: 1,
    payload: { paymentId: ids.paymentId, amountMinor: 5000, currency: 'EUR' },
  },
  PaymentRefunded: {
    ...meta(18, 'payment-service', E.cancellationRequested),
    type: 'PaymentRefunded',
    version: 1,
    payload: { paymentId: ids.paymentId, amountMinor: 2500, currency: 'EUR' },
  },
  NotificationSent: {
    ...meta(19, 'notification-service', E.paymentAuthorized),
    type: 'NotificationSent',
    version: 1,
    payload: { notificationId: ids.notificationId, kind: 'confirmed', channel: 'email' },
  },
  ReleaseReservationRequested: {
    ...meta(20, 'reconciliation-service', null),
    type: 'ReleaseReservationRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'declined-still-reserved', reservationId: ids.reservationId },
  },
  VoidPaymentRequested: {
    ...meta(21, 'reconciliation-service', null),
    type: 'VoidPaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'cancelled-still-charged', paymentId: ids.paymentId },
  },
  RefundPaymentRequested: {
    ...meta(22, 'reconciliation-service', null),
    type: 'RefundPaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'cancelled-still-charged', paymentId: ids.paymentId, amountMinor: 2500 },
  },
  CapturePaymentRequested: {
    ...meta(23, 'reconciliation-service', null),
    type: 'CapturePaymentRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'dispatched-not-captured', shipmentId: ids.shipmentId },
  },
  ResendNotificationRequested: {
    ...meta(24, 'reconciliation-service', null),
    type: 'ResendNotificationRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'missing-notification', kind: 'confirmed' },
  },
  RepublishEventsRequested: {
    ...meta(25, 'reconciliation-service', null),
    type: 'RepublishEventsRequested',
    version: 1,
    payload: { caseId: ids.caseId, rule: 'stuck-at-inventory', eventTypes: ['OrderPlaced'], targetService: 'inventory-service' },
  },
  PaymentRepairRefused: {
    ...meta(26, 'payment-service', eventId(23)),
    type: 'PaymentRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'dispatched-not-captured',
      commandEventId: eventId(23),
      commandType: 'CapturePaymentRequested',
      reason: 'nothing left to capture (payment is CAPTURED)',
    },
  },
  InventoryRepairRefused: {
    ...meta(27, 'inventory-service', eventId(20)),
    type: 'InventoryRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'declined-still-reserved',
      commandEventId: eventId(20),
      commandType: 'ReleaseReservationRequested',
      reason: 'nothing to release (reservation res_2001 is RELEASED)',
    },
  },
  NotificationRepairRefused: {
    ...meta(28, 'notification-service', eventId(24)),
    type: 'NotificationRepairRefused',
    version: 1,
    payload: {
      caseId: ids.caseId,
      rule: 'missing-notification',
      commandEventId: eventId(24),
      commandType: 'ResendNotificationRequested',
      reason: 'the confirmed notification was already sent',
    },
  },
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/** One valid sample envelope per event type (deep-frozen). */
export const sampleEvents: { readonly [T in EventType]: EventEnvelope<T> } = deepFreeze(samples);

export type SampleOverrides<T extends EventType> = Partial<Omit<EventEnvelope<T>, 'type' | 'payload'>> & {
  /** Shallow-merged into the sample payload. */
  payload?: Partial<EventPayloads[T]>;
};

/** A fresh, mutable copy of the sample for `type`, with envelope fields and payload fields overridden. */
export function sampleEvent<T extends EventType>(type: T, overrides: SampleOverrides<T> = {}): EventEnvelope<T> {
  const sample = structuredClone(sampleEvents[type]) as EventEnvelope<T>;
  const { payload, ...envelope } = overrides;
  return { ...sample, ...envelope, payload: { ...sample.payload, ...payload } } as EventEnvelope<T>;
}

