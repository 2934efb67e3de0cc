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
}

export type EventHandler = (event: EventEnvelope, context: EventContext) => Promise<unknown>;

/** Finds this service's handler for an event type; undefined means the service ignores it. */
export type HandlerLookup = (type: string) => EventHandler | undefined;
