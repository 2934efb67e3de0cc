import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { EVENT_CATALOG, isEventType, type EventPayloads, type EventType } from './catalog';
import { eventEnvelopeSchema, type AnyEventEnvelope, type EventEnvelope } from './envelope';

export type ParseEventResult = { ok: true; event: AnyEventEnvelope } | { ok: false; reason: string };

/** Metadata for `createEvent`; `eventId` and `occurredAt` are generated when absent. */
export interface EventMeta {
  orderId: string;
  correlationId: string;
  /** The eventId of the event being reacted to; null for the first event of a flow. */
  causationId: string | null;
  /** Must be the catalog producer of the event type. */
  producer: string;
  /** @defaultValue `crypto.randomUUID()` */
  eventId?: string;
  /** @defaultValue now */
  occurredAt?: string | Date;
}

/** Thrown by `createEvent` when the event would not pass `parseEvent` on the consumer side. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`Invalid ${eventType} event: ${reason}`);
  }
}

/**
 * Validates a decoded message: the envelope, then (`type`, `version`) against the catalog, then the
 * payload against that version's schema. Never throws; the reason names the failing field path,
 * e.g. `payload.lines[0].quantity: Too small: expected number to be >0`.
 */
export function parseEvent(raw: unknown): ParseEventResult {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, reason: formatIssues(envelope.error.issues) };
  }
  const { type, version } = envelope.data;
  if (!isEventType(type)) {
    return { ok: false, reason: `type: unknown event type "${type}"` };
  }
  const schemas: Record<number, z.ZodType> = EVENT_CATALOG[type].schemas;
  if (!Object.prototype.hasOwnProperty.call(schemas, version)) {
    const known = Object.keys(schemas).join(', ');
    return { ok: false, reason: `version: unknown version ${version} of event type "${type}" (known: ${known})` };
  }
  const payload = schemas[version].safeParse(envelope.data.payload);
  if (!payload.success) {
    return { ok: false, reason: formatIssues(payload.error.issues, ['payload']) };
  }
  return { ok: true, event: { ...envelope.data, payload: payload.data } as AnyEventEnvelope };
}

/**
 * Builds a validated envelope at the latest version of `type`, filling `eventId` and
 * `occurredAt`. Throws `InvalidEventError` if the payload or metadata is invalid, or if
 * `meta.producer` is not the catalog producer of `type`.
 */
export function createEvent<T extends EventType>(type: T, payload: EventPayloads[T], meta: EventMeta): EventEnvelope<T> {
  if (!isEventType(type)) {
    throw new InvalidEventError(String(type), `type: unknown event type "${String(type)}"`);
  }
  const definition = EVENT_CATALOG[type];
  if (meta.producer !== definition.producer) {
    throw new InvalidEventError(type, `producer: ${type} is produced by "${definition.producer}", not "${meta.producer}"`);
  }
  const occurredAt = meta.occurredAt ?? new Date();
  const result = parseEvent({
    eventId: meta.eventId ?? randomUUID(),
    type,
    version: definition.latestVersion,
    occurredAt: occurredAt instanceof Date ? occurredAt.toISOString() : occurredAt,
    orderId: meta.orderId,
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    producer: meta.producer,
    payload,
  });
  if (!result.ok) {
    throw new InvalidEventError(type, result.reason);
  }
  return result.event as EventEnvelope<T>;
}

/** Metadata for an event caused by `cause`: same order and flow, `causationId` = the cause's eventId. */
export function causedBy(cause: { eventId: string; orderId: string; correlationId: string }, producer: string): EventMeta {
  return { orderId: cause.orderId, correlationId: cause.correlationId, causationId: cause.eventId, producer };
}

function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${issue.message}`).join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(root)';
  }
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join('');
}
