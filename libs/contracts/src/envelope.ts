import { z } from 'zod';
import type { EventPayloads, EventType, EventVersions } from './catalog';

/**
 * The one envelope every message on the backbone travels in. The payload is `unknown` here; it is
 * validated against the catalog schema for (`type`, `version`) by `parseEvent`.
 *
 * Unknown extra fields are tolerated (and stripped) so producers can add optional fields first.
 */
export const eventEnvelopeSchema = z.object({
  /** Unique per event; consumers deduplicate on it. */
  eventId: z.uuid(),
  /** Catalog event type, e.g. `OrderPlaced`. */
  type: z.string().min(1),
  /** Schema version of the payload for this type. */
  version: z.number().int().positive(),
  /** ISO-8601 date-time with `Z` or an offset. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** Business key, and the Kafka message key. */
  orderId: z.string().min(1),
  /** The flow this event belongs to (the same for every event of one order's flow). */
  correlationId: z.string().min(1),
  /** The eventId of the event that caused this one; null for the first event of a flow. */
  causationId: z.string().min(1).nullable(),
  /** Name of the producing service, e.g. `order-service`. */
  producer: z.string().min(1),
  payload: z.unknown(),
});

/** An envelope whose payload has not been validated yet. */
export type RawEventEnvelope = z.infer<typeof eventEnvelopeSchema>;

type EnvelopeMetadata = Omit<RawEventEnvelope, 'type' | 'version' | 'payload'>;

/** A validated envelope of event type `T`, with the payload of its latest version. */
export type EventEnvelope<T extends EventType = EventType> = T extends EventType
  ? EnvelopeMetadata & { type: T; version: number; payload: EventPayloads[T] }
  : never;

/**
 * What `parseEvent` returns: a union over every (type, version) in the catalog, so narrowing on
 * `type` (and, once a type has several versions, on `version`) gives the exact payload.
 */
export type AnyEventEnvelope = {
  [T in EventType]: {
    [V in keyof EventVersions[T]]: EnvelopeMetadata & { type: T; version: V; payload: EventVersions[T][V] };
  }[keyof EventVersions[T]];
}[EventType];
