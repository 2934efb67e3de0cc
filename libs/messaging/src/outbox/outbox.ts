import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createEvent, type EventEnvelope, type EventPayloads, type EventType, headersFor, topicFor } from '@commerce/contracts';
import { currentTraceHeaders, workContext } from '@commerce/platform';

export interface EmitOptions {
  /** Defaults to the orderId of the current work (the consumed event or request). */
  orderId?: string;
}

/**
 * Writes events into the service's outbox table inside the caller's transaction, so an
 * event exists if and only if the state change that caused it committed.
 */
export class Outbox {
  /**
   * @param producer the service name written into every envelope
   * @param topicPrefix prepended to every topic name (isolates test runs and tenants) @defaultValue ''
   */
  constructor(
    private readonly producer: string,
    private readonly topicPrefix = '',
  ) {}

  /** Builds an envelope whose correlation and causation come from the current work. */
  event<T extends EventType>(type: T, payload: EventPayloads[T], options: EmitOptions = {}): EventEnvelope<T> {
    const ctx = workContext.current();
    const orderId = options.orderId ?? ctx?.orderId;
    if (!orderId) throw new Error(`cannot emit ${type}: no orderId given and none in the current work context`);
    return createEvent(type, payload, {
      orderId,
      correlationId: ctx?.correlationId ?? randomUUID(),
      causationId: ctx?.causationId ?? null,
      producer: this.producer,
    });
  }

  async emit<T extends EventType>(
    manager: EntityManager,
    type: T,
    payload: EventPayloads[T],
    options: EmitOptions = {},
  ): Promise<EventEnvelope<T>> {
    const event = this.event(type, payload, options);
    await this.store(manager, [event]);
    return event;
  }

  /** Stores ready-made envelopes (several in one statement). */
  async store(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.store must run inside the transaction that changes the state');
    }
    const values: unknown[] = [];
    const trace = currentTraceHeaders(); // traceparent of the work that stores them ({} when tracing is off)
    const rows = events.map((event, i) => {
      values.push(event.eventId, this.topicPrefix + topicFor(event.type), event.orderId, event.type, JSON.stringify(event), JSON.stringify({ ...headersFor(event), ...trace }));
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO outbox_message (event_id, topic, message_key, event_type, envelope, headers) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
