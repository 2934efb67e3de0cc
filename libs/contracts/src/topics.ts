/**
 * Topic naming convention — one rule, no exceptions:
 *
 * - `commerce.<producing-domain>.events`: the facts one domain publishes (order, inventory,
 *   payment, shipment, notification). Only that domain's service writes to it.
 * - `commerce.reconciliation.commands`: repair commands from the reconciliation service; each
 *   command is handled (idempotently) by the service that owns the affected data.
 * - `commerce.dead-letter`: the single dead-letter topic for messages a consumer could not
 *   handle after its retries (the original bytes, plus `dead-letter-*` headers saying why).
 *
 * Consumers subscribe per topic and dispatch on the event `type`, which travels both in the
 * envelope and in the `event-type` Kafka header. The message key is always the `orderId`, so one
 * order's messages stay in order within a topic.
 */
export const TOPICS = {
  orderEvents: 'commerce.order.events',
  inventoryEvents: 'commerce.inventory.events',
  paymentEvents: 'commerce.payment.events',
  shipmentEvents: 'commerce.shipment.events',
  notificationEvents: 'commerce.notification.events',
  reconciliationCommands: 'commerce.reconciliation.commands',
  deadLetter: 'commerce.dead-letter',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicKey];

/** Every topic the backbone uses (what infra provisioning creates). */
export const ALL_TOPICS: readonly TopicName[] = Object.freeze(Object.values(TOPICS));

export function isTopicName(value: string): value is TopicName {
  return (ALL_TOPICS as readonly string[]).includes(value);
}
