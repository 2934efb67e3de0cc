/**
 * Kafka headers every message carries, mirroring the envelope so that routing, tracing and
 * deduplication can happen without parsing the body. Values are strings (UTF-8 bytes on the wire).
 */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  eventVersion: 'event-version',
  correlationId: 'correlation-id',
  /** Omitted when the envelope's causationId is null (first event of a flow). */
  causationId: 'causation-id',
  orderId: 'order-id',
  producer: 'producer',
} as const;

export type EventHeaderName = (typeof EVENT_HEADERS)[keyof typeof EVENT_HEADERS];

/**
 * Headers added when a message is moved to the dead-letter topic. The original headers are kept
 * alongside these.
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'dead-letter-reason',
  originalTopic: 'dead-letter-original-topic',
  originalPartition: 'dead-letter-original-partition',
  originalOffset: 'dead-letter-original-offset',
  consumerGroup: 'dead-letter-consumer-group',
  attempts: 'dead-letter-attempts',
  failedAt: 'dead-letter-failed-at',
} as const;

export type DeadLetterHeaderName = (typeof DEAD_LETTER_HEADERS)[keyof typeof DEAD_LETTER_HEADERS];

/** The envelope fields the headers are built from. */
export interface EnvelopeHeaderSource {
  eventId: string;
  type: string;
  version: number;
  correlationId: string;
  causationId: string | null;
  orderId: string;
  producer: string;
}

/** Kafka headers for an envelope (`causation-id` is left out when there is no cause). */
export function headersFor(envelope: EnvelopeHeaderSource): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.eventId]: envelope.eventId,
    [EVENT_HEADERS.eventType]: envelope.type,
    [EVENT_HEADERS.eventVersion]: String(envelope.version),
    [EVENT_HEADERS.correlationId]: envelope.correlationId,
    [EVENT_HEADERS.orderId]: envelope.orderId,
    [EVENT_HEADERS.producer]: envelope.producer,
  };
  return envelope.causationId === null ? headers : { ...headers, [EVENT_HEADERS.causationId]: envelope.causationId };
}
