import { type EventType, isEventType, type TopicName, topicFor } from '@commerce/contracts';

/**
 * A handler's pattern that names no event type of the catalog: it could never be called, because
 * no topic carries that type. Thrown at start-up, naming the pattern.
 */
export class UnknownEventPatternError extends Error {
  constructor(readonly patterns: readonly string[]) {
    super(
      `@EventPattern(${patterns.map((pattern) => JSON.stringify(pattern)).join(', ')}) names no event type of the catalog ` +
        '(EVENT_CATALOG in @commerce/contracts): no topic carries it, so the handler would never be called',
    );
    this.name = 'UnknownEventPatternError';
  }
}

/**
 * The topics a service consumes, derived from the event types its `@EventPattern` handlers are
 * for (each type's topic in the catalog), so a handler and its subscription cannot disagree:
 * every handled type's topic is subscribed, and no topic is subscribed that nothing handles.
 * Sorted, each topic once.
 */
export function subscriptionsFor(handledPatterns: Iterable<string>): TopicName[] {
  const patterns = [...handledPatterns];
  const unknown = patterns.filter((pattern) => !isEventType(pattern));
  if (unknown.length > 0) throw new UnknownEventPatternError(unknown);
  return [...new Set((patterns as EventType[]).map(topicFor))].sort();
}
