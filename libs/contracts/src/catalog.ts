import { z } from 'zod';
import { currency, defineEvent, id, minorUnits, node, notificationKind, orderLine, positiveMinorUnits, quantity, reason, repairRefusal, reservedLine, sku, sumOfLines } from './catalog-blocks';
import { REPAIR_COMMANDS } from './repair-commands';
import { SERVICES, type ServiceName } from './services';
import { TOPICS, type TopicName } from './topics';

export { type EventDefinition, NOTIFICATION_KINDS, type NotificationKind } from './catalog-blocks';

// ---------------------------------------------------------------------------------------------
// The catalog: for each event type, who produces it, where it goes, and its payload per version.
// To evolve a payload incompatibly: add `2: z.object(...)` to `schemas` and set `latestVersion: 2`;
// keep version 1 for as long as it may still be on the wire (consumers get a typed union).
// ---------------------------------------------------------------------------------------------

export const EVENT_CATALOG = {
  // -- order-service ---------------------------------------------------------------------------
  OrderPlaced: defineEvent({
    producer: SERVICES.order,
    topic: TOPICS.orderEvents,
    description: 'A customer placed an order; starts the flow (inventory reserves, payment authorizes).',
    latestVersion: 1,
    schemas: {
      1: z
        .object({
          customerId: id,
          lines: z.array(orderLine).min(1),
          currency,
          totalMinor: minorUnits,
          /** Opaque token from the payment gateway (e.g. `tok_ok`, `tok_decline`). */
          paymentToken: z.string().min(1),
          shippingAddress: z.object({
            name: z.string().min(1),
            line1: z.string().min(1),
            line2: z.string().min(1).optional(),
            city: z.string().min(1),
            postalCode: z.string().min(1),
            country: z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO-3166 alpha-2 country code like "DE"'),
          }),
        })
        .refine((order) => order.totalMinor === sumOfLines(order.lines), {
          path: ['totalMinor'],
          message: 'Must equal the sum of quantity × unitPriceMinor over the lines',
        }),
    },
  }),
  OrderCancellationRequested: defineEvent({
    producer: SERVICES.order,
    topic: TOPICS.orderEvents,
    description: 'The customer asked to cancel; shipment, payment and inventory compensate what they can.',
    latestVersion: 1,
    schemas: { 1: z.object({ reason }) },
  }),

  // -- inventory-service -----------------------------------------------------------------------
  InventoryReserved: defineEvent({
    producer: SERVICES.inventory,
    topic: TOPICS.inventoryEvents,
    description: 'Every line of the order is reserved (each at one warehouse node); carries the amount to authorize.',
    latestVersion: 1,
    schemas: {
      1: z.object({ reservationId: id, lines: z.array(reservedLine).min(1), totalMinor: minorUnits, currency }),
    },
  }),
  InventoryRejected: defineEvent({
    producer: SERVICES.inventory,
    topic: TOPICS.inventoryEvents,
    description: 'The order could not be reserved in full; nothing was reserved.',
    latestVersion: 1,
    schemas: {
      1: z.object({
        reason,
        unavailable: z.array(z.object({ sku, requested: quantity, available: z.number().int().nonnegative() })),
      }),
    },
  }),
  InventoryReleased: defineEvent({
    producer: SERVICES.inventory,
    topic: TOPICS.inventoryEvents,
    description: 'A reservation was released (payment declined, order cancelled, or a repair).',
    latestVersion: 1,
    schemas: { 1: z.object({ reservationId: id, reason, lines: z.array(reservedLine).min(1) }) },
  }),
  InventoryCommitted: defineEvent({
    producer: SERVICES.inventory,
    topic: TOPICS.inventoryEvents,
    description: "The reserved units of a dispatched shipment left the building.",
    latestVersion: 1,
    schemas: { 1: z.object({ reservationId: id, shipmentId: id, lines: z.array(reservedLine).min(1) }) },
  }),
  InventoryRepairRefused: defineEvent({
    producer: SERVICES.inventory,
    topic: TOPICS.inventoryEvents,
    description: 'A repair command inventory cannot carry out (e.g. no reservation, another reservation, nothing left reserved), naming the command and why.',
    latestVersion: 1,
    schemas: { 1: repairRefusal },
  }),

  // -- payment-service -------------------------------------------------------------------------
  PaymentAuthorized: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'The order total was authorized; shipments may be created.',
    latestVersion: 1,
    schemas: { 1: z.object({ paymentId: id, amountMinor: positiveMinorUnits, currency }) },
  }),
  PaymentDeclined: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'The gateway declined (or kept timing out); the reservation must be released.',
    latestVersion: 1,
    schemas: { 1: z.object({ paymentId: id, reason }) },
  }),
  PaymentCaptured: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'The part of the authorization matching one dispatched shipment was captured.',
    latestVersion: 1,
    schemas: { 1: z.object({ paymentId: id, shipmentId: id, amountMinor: positiveMinorUnits, currency }) },
  }),
  PaymentVoided: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'The (uncaptured part of the) authorization was voided.',
    latestVersion: 1,
    schemas: { 1: z.object({ paymentId: id, amountMinor: minorUnits, currency }) },
  }),
  PaymentRefunded: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'Captured money was refunded.',
    latestVersion: 1,
    schemas: { 1: z.object({ paymentId: id, amountMinor: positiveMinorUnits, currency }) },
  }),
  PaymentRepairRefused: defineEvent({
    producer: SERVICES.payment,
    topic: TOPICS.paymentEvents,
    description: 'A repair command payment cannot carry out (e.g. nothing left to capture by its own figures), naming the command and why.',
    latestVersion: 1,
    schemas: { 1: repairRefusal },
  }),

  // -- shipment-service ------------------------------------------------------------------------
  ShipmentCreated: defineEvent({
    producer: SERVICES.shipment,
    topic: TOPICS.shipmentEvents,
    description: 'A shipment was created for the lines reserved at one warehouse node.',
    latestVersion: 1,
    schemas: { 1: z.object({ shipmentId: id, node, lines: z.array(orderLine).min(1) }) },
  }),
  ShipmentDispatched: defineEvent({
    producer: SERVICES.shipment,
    topic: TOPICS.shipmentEvents,
    description: 'A shipment left its warehouse; its value is to be captured and its units committed.',
    latestVersion: 1,
    schemas: {
      1: z
        .object({ shipmentId: id, node, lines: z.array(orderLine).min(1), valueMinor: minorUnits, currency })
        .refine((shipment) => shipment.valueMinor === sumOfLines(shipment.lines), {
          path: ['valueMinor'],
          message: 'Must equal the sum of quantity × unitPriceMinor over the lines',
        }),
    },
  }),
  ShipmentDelivered: defineEvent({
    producer: SERVICES.shipment,
    topic: TOPICS.shipmentEvents,
    description: 'A shipment was delivered.',
    latestVersion: 1,
    schemas: { 1: z.object({ shipmentId: id }) },
  }),
  ShipmentCancelled: defineEvent({
    producer: SERVICES.shipment,
    topic: TOPICS.shipmentEvents,
    description: 'An undispatched shipment was cancelled.',
    latestVersion: 1,
    schemas: { 1: z.object({ shipmentId: id, reason }) },
  }),
  ShipmentCancellationRefused: defineEvent({
    producer: SERVICES.shipment,
    topic: TOPICS.shipmentEvents,
    description: 'A shipment could not be cancelled because it was already dispatched.',
    latestVersion: 1,
    schemas: { 1: z.object({ shipmentId: id, reason }) },
  }),

  // -- notification-service --------------------------------------------------------------------
  NotificationSent: defineEvent({
    producer: SERVICES.notification,
    topic: TOPICS.notificationEvents,
    description: 'The customer was notified of an order milestone.',
    latestVersion: 1,
    schemas: { 1: z.object({ notificationId: id, kind: notificationKind, channel: z.string().min(1) }) },
  }),
  NotificationRepairRefused: defineEvent({
    producer: SERVICES.notification,
    topic: TOPICS.notificationEvents,
    description: 'A repair command notification cannot carry out (e.g. the notification was already sent), naming the command and why.',
    latestVersion: 1,
    schemas: { 1: repairRefusal },
  }),

  // -- reconciliation-service: repair commands (repair-commands.ts) ----------------------------
  ...REPAIR_COMMANDS,
} as const;

type Catalog = typeof EVENT_CATALOG;

/** Every event (and command) type name. */
export type EventType = keyof Catalog;

/** The zod schema of the latest version of `T`. */
export type LatestSchema<T extends EventType> = Catalog[T]['schemas'][Catalog[T]['latestVersion']];

/** Typed map from event type to the payload of its latest version (the types follow the schemas). */
export type EventPayloads = { [T in EventType]: z.output<LatestSchema<T>> };

/** Typed map from event type to version number to that version's payload. */
export type EventVersions = {
  [T in EventType]: { [V in keyof Catalog[T]['schemas']]: z.output<Catalog[T]['schemas'][V]> };
};

export const EVENT_TYPES = Object.freeze(Object.keys(EVENT_CATALOG)) as readonly EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, value);
}

/** The service that produces `type`. */
export function producerOf(type: EventType): ServiceName {
  return EVENT_CATALOG[type].producer;
}

/** The topic `type` is published on. (Lives here, beside the data it reads, to keep topics.ts free of imports.) */
export function topicFor(type: EventType): TopicName {
  return EVENT_CATALOG[type].topic;
}

/** The event types published on `topic` (what a consumer of that topic may receive). */
export function eventTypesOn(topic: TopicName): EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_CATALOG[type].topic === topic);
}
