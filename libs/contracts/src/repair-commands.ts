import { z } from 'zod';
import { defineEvent, id, notificationKind, positiveMinorUnits, repairCommand } from './catalog-blocks';
import { SERVICES } from './services';
import { TOPICS } from './topics';

/** The reconciliation service's repair commands, each handled idempotently by the data's owner (part of EVENT_CATALOG). */
export const REPAIR_COMMANDS = {
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
