import { z } from 'zod';
import { SERVICES, type ServiceName } from './services';
import { TOPICS, type TopicName } from './topics';

// ---------------------------------------------------------------------------------------------
// Building blocks. Money is always integer minor units plus an ISO-4217 currency code.
// ---------------------------------------------------------------------------------------------

const id = z.string().min(1);
const currency = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO-4217 currency code like "EUR"');
const minorUnits = z.number().int().nonnegative();
const positiveMinorUnits = z.number().int().positive();
const quantity = z.number().int().positive();
const sku = z.string().min(1);
/** A warehouse node (fulfilment location) id. */
const node = z.string().min(1);
const reason = z.string().min(1);

const orderLine = z.object({ sku, quantity, unitPriceMinor: minorUnits });
const reservedLine = z.object({ sku, quantity, node });

/** Who is notified of what; one notification per (orderId, kind). */
export const NOTIFICATION_KINDS = ['confirmed', 'rejected', 'dispatched', 'delivered', 'cancelled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
const notificationKind = z.enum(NOTIFICATION_KINDS);

/** Every repair command says which reconciliation case and rule asked for it. */
const repairCommand = z.object({ caseId: id, rule: z.string().min(1) });

/**
 * A repair command its service cannot carry out, and why: the command's own eventId and type, and
 * the case and rule it carried, so the reconciliation service hands the case to a person at once.
 */
const repairRefusal = repairCommand.extend({ commandEventId: id, commandType: z.string().min(1), reason });

function sumOfLines(lines: ReadonlyArray<{ quantity: number; unitPriceMinor: number }>): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
}

// ---------------------------------------------------------------------------------------------
// The catalog: for each event type, who produces it, where it goes, and its payload per version.
// To evolve a payload incompatibly: add `2: z.object(...)` to `schemas` and set `latestVersion: 2`;
// keep version 1 for as long as it may still be on the wire (consumers get a typed union).
// ---------------------------------------------------------------------------------------------

export interface EventDefinition<S extends Record<number, z.ZodType> = Record<number, z.ZodType>, L extends keyof S & number = keyof S & number> {
  producer: ServiceName;
  topic: TopicName;
  /** One sentence for the AsyncAPI document. */
  description: string;
  latestVersion: L;
  schemas: S;
}

function defineEvent<const S extends Record<number, z.ZodType>, const L extends keyof S & number>(definition: EventDefinition<S, L>): EventDefinition<S, L> {
  return definition;
}

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

  // -- reconciliation-service: repair commands, each handled idempotently by the data's owner ---
  ReleaseReservationRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: "Inventory: release the order's reservation, if it still holds one.",
    latestVersion: 1,
    schemas: { 1: repairCommand.extend({ reservationId: id.optional() }) },
  }),
  VoidPaymentRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: "Payment: void the order's authorization, if it is still open.",
    latestVersion: 1,
    schemas: { 1: repairCommand.extend({ paymentId: id.optional() }) },
  }),
  RefundPaymentRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: 'Payment: refund captured money (all of what is captured and not yet refunded when amountMinor is absent).',
    latestVersion: 1,
    schemas: { 1: repairCommand.extend({ paymentId: id.optional(), amountMinor: positiveMinorUnits.optional() }) },
  }),
  CapturePaymentRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: 'Payment: capture the value of a dispatched shipment that was never captured.',
    latestVersion: 1,
    schemas: { 1: repairCommand.extend({ shipmentId: id }) },
  }),
  ResendNotificationRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: 'Notification: send the notification of this kind for the order, if not sent yet.',
    latestVersion: 1,
    schemas: { 1: repairCommand.extend({ kind: notificationKind }) },
  }),
  RepublishEventsRequested: defineEvent({
    producer: SERVICES.reconciliation,
    topic: TOPICS.reconciliationCommands,
    description: "The producer of these event types republishes the order's events of those types from its outbox.",
    latestVersion: 1,
    schemas: {
      1: repairCommand.extend({
        eventTypes: z.array(z.string().min(1)).min(1),
        /** The service that should (re)consume them; informational, the topic is shared. */
        targetService: z.string().min(1),
      }),
    },
  }),
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
