import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventPayloads, EventType } from '@commerce/contracts';
import type { EmitOptions, Outbox } from '../outbox/outbox';

/**
 * Handed to every event handler: the consumed event, the transaction that records it in
 * the inbox, and `emit`, which writes caused events to the outbox in that same transaction.
 */
export class EventContext {
  constructor(
    readonly event: EventEnvelope,
    readonly manager: EntityManager,
    private readonly outbox: Outbox,
  ) {}

  emit<T extends EventType>(type: T, payload: EventPayloads[T], options?: EmitOptions): Promise<EventEnvelope<T>> {
    return this.outbox.emit(this.manager, type, payload, options);
  }

  /** Builds the envelope `emit` would write, without writing it (see `store`). */
  envelope<T extends EventType>(type: T, payload: EventPayloads[T], options?: EmitOptions): EventEnvelope<T> {
    return this.outbox.event(type, payload, options);
  }

  /** Writes ready-made envelopes to the outbox in this same transaction. */
  store(events: EventEnvelope[]): Promise<void> {
    return this.outbox.store(this.manager, events);
  }
}

export type EventHandler = (event: EventEnvelope, context: EventContext) => Promise<unknown>;

/** Finds this service's handler for an event type; undefined means the service ignores it. */
export type HandlerLookup = (type: string) => EventHandler | undefined;
