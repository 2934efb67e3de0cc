/**
 * Sample messages for producer and consumer tests: one valid envelope per event type, all about
 * the same order, with fixed ids and timestamps and a causation chain that follows the flows.
 * The samples are deep-frozen; use `sampleEvent(type, overrides)` for a fresh, editable copy.
 */
import type { EventPayloads, EventType } from '../catalog';
import type { EventEnvelope } from '../envelope';
import { eventId, meta, SAMPLE_IDS } from './sample-meta';
import { repairSamples } from './sample-repairs';

export { SAMPLE_IDS } from './sample-meta';

const ids = SAMPLE_IDS;

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
  ...repairSamples,
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

