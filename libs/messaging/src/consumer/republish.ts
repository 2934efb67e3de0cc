import { type EventEnvelope, type EventType, isEventType, producerOf, type ServiceName } from '@commerce/contracts';
import { createLogger } from '@commerce/platform';
import type { EventContext } from './event-context';

/** What a service hands `republishStoredEvents`: whose events, and how to rebuild them from its data. */
export interface RepublishSource {
  /** The service whose events these are; the command's other types are other services' to republish. */
  producer: ServiceName;
  /**
   * The order's events among `requested` (never empty, all the producer's), rebuilt as new
   * envelopes from stored state (`context.envelope(type, payload)`, or the service's own envelope
   * when it keeps the order's correlation), in the order to emit them. null when the service
   * has nothing stored for the order; throw to refuse the command.
   */
  storedEvents(requested: ReadonlySet<EventType>, context: EventContext): Promise<EventEnvelope[] | null>;
}

/**
 * The reconciliation's RepublishEventsRequested repair, for any service: emits again, as new
 * events through the outbox in the command's transaction, the producer's events of the
 * requested types, rebuilt from what the service stores (outbox rows are pruned, the state is
 * not). Returns what it emitted.
 */
export async function republishStoredEvents(
  command: EventEnvelope<'RepublishEventsRequested'>,
  context: EventContext,
  source: RepublishSource,
): Promise<EventEnvelope[]> {
  const requested = new Set(
    command.payload.eventTypes.filter((type): type is EventType => isEventType(type) && producerOf(type) === source.producer),
  );
  if (requested.size === 0) return [];
  const log = createLogger(source.producer);
  const { caseId, rule } = command.payload;
  const events = await source.storedEvents(requested, context);
  if (events === null) {
    log.warn({ caseId, types: [...requested] }, 'republish requested for an order with nothing stored here; nothing to republish');
    return [];
  }
  await context.store(events);
  log.info({ caseId, rule, types: [...requested], republished: events.map((event) => event.type) }, 'events republished');
  return events;
}
