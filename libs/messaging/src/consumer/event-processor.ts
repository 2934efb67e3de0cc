import type { DataSource } from 'typeorm';
import { EVENT_HEADERS, type EventEnvelope, parseEvent } from '@commerce/contracts';
import { createLogger, eventMetrics, type Logger, withConsumedEventSpan, workContext } from '@commerce/platform';
import type { IncomingMessage } from '../kafka/ports';
import type { Outbox } from '../outbox/outbox';
import { backoffDelay, PoisonMessageError, type RetryPolicy, sleep } from '../retry';
import type { DeadLetterSink } from '../dead-letters/dead-letter-sink';
import { EventContext, type HandlerLookup } from './event-context';
import { inInboxTransaction } from './inbox-transaction';

export type ProcessOutcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered';

/** Postgres or network errors that mean "the database is not there right now", not "this message is bad". */
export function isInfrastructureError(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  if (/^(08|57P)/.test(code)) return true; // connection exception, operator intervention (shutdown)
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error/i.test(e?.message ?? '');
}

/** Best-effort identity of a message that failed validation, so its dead letter can be found by id. */
function identify(value: string | null): Partial<Pick<EventEnvelope, 'eventId' | 'type' | 'orderId'>> {
  try {
    const raw = JSON.parse(value ?? 'null') as Record<string, unknown> | null;
    const text = (key: string) => (typeof raw?.[key] === 'string' ? (raw[key] as string) : undefined);
    return { eventId: text('eventId'), type: text('type') as EventEnvelope['type'] | undefined, orderId: text('orderId') };
  } catch {
    return {}; // not JSON: the headers and the key are all there is
  }
}

export interface EventProcessorDeps {
  dataSource: DataSource;
  outbox: Outbox;
  lookup: HandlerLookup;
  deadLetters: DeadLetterSink;
  retry: RetryPolicy;
}

/**
 * Validates a consumed message, then applies it at most once: the inbox row and the
 * handler's effects commit in one transaction. Transient failures are retried with
 * backoff; poison messages go to the dead-letter topic so the partition keeps flowing.
 */
export class EventProcessor {
  private readonly log: Logger = createLogger('event-processor');

  constructor(private readonly deps: EventProcessorDeps) {}

  /**
   * `consume`: a failure that exhausts its retries is dead-lettered.
   * `replay`: the failure is thrown back to whoever asked for the replay.
   */
  async process(message: IncomingMessage, mode: 'consume' | 'replay' = 'consume'): Promise<ProcessOutcome> {
    if (this.notHandled(message)) return 'ignored';
    const parsed = this.parse(message);
    if (!parsed.ok) {
      eventMetrics.failed.inc({ type: message.headers[EVENT_HEADERS.eventType] ?? 'unknown', kind: 'poison' });
      if (mode === 'replay') throw new PoisonMessageError(parsed.reason);
      await this.deps.deadLetters.record(message, parsed.reason, 1, identify(message.value));
      eventMetrics.consumed.inc({ type: message.headers[EVENT_HEADERS.eventType] ?? 'unknown', outcome: 'dead-lettered' });
      return 'dead-lettered';
    }
    const event = parsed.event;
    const handler = this.deps.lookup(event.type);
    if (!handler) return 'ignored';

    const traced = { topic: message.topic, partition: message.partition, eventType: event.type, eventId: event.eventId, orderId: event.orderId };
    return withConsumedEventSpan(message.headers, traced, () => workContext.run({ correlationId: event.correlationId, causationId: event.eventId, orderId: event.orderId }, async () => {
      for (let attempt = 1; ; attempt++) {
        const timer = eventMetrics.handlerSeconds.startTimer({ type: event.type });
        try {
          const applied = await this.applyOnce(event, handler);
          timer();
          eventMetrics.consumed.inc({ type: event.type, outcome: applied ? 'applied' : 'duplicate' });
          return applied ? 'applied' : 'duplicate';
        } catch (error) {
          const infrastructure = isInfrastructureError(error);
          const poison = error instanceof PoisonMessageError;
          eventMetrics.failed.inc({ type: event.type, kind: poison ? 'poison' : 'transient' });
          // The database being away is no fault of the message: wait for it, however long.
          const exhausted = poison || (!infrastructure && attempt >= this.deps.retry.maxAttempts);
          if (exhausted) {
            if (mode === 'replay') throw error;
            const reason = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
            this.log.error({ err: error, eventId: event.eventId, type: event.type, attempt }, 'event dead-lettered');
            await this.deps.deadLetters.record(message, reason, attempt, event);
            eventMetrics.consumed.inc({ type: event.type, outcome: 'dead-lettered' });
            return 'dead-lettered';
          }
          const delay = backoffDelay(this.deps.retry, attempt);
          this.log.warn({ err: error, eventId: event.eventId, type: event.type, attempt, retryInMs: delay }, 'event handler failed; retrying');
          await sleep(delay);
        }
      }
    }));
  }

  /**
   * Applies consecutive messages of one partition in ONE transaction: one inbox statement and
   * one commit for them all, each handler in offset order. The batch is all or nothing, so when
   * anything in it is invalid or fails, it is rolled back and the messages go one at a time
   * through `process` (its retries and dead letters), as if the batch had never been tried.
   */
  async processBatch(messages: IncomingMessage[]): Promise<ProcessOutcome[]> {
    if (messages.every((message) => this.notHandled(message))) return messages.map(() => 'ignored');
    if (messages.length > 1) {
      const events: EventEnvelope[] = [];
      for (const message of messages) {
        const parsed = this.parse(message);
        if (!parsed.ok) break;
        events.push(parsed.event);
      }
      if (events.length === messages.length) {
        try {
          return await this.applyAll(events, messages);
        } catch (error) {
          this.log.debug({ err: error, messages: messages.length }, 'batch not applied whole; applying its messages one at a time');
        }
      }
    }
    const outcomes: ProcessOutcome[] = [];
    for (const message of messages) outcomes.push(await this.process(message));
    return outcomes;
  }

  private async applyAll(events: EventEnvelope[], messages: IncomingMessage[]): Promise<ProcessOutcome[]> {
    const handled = events.filter((event) => this.deps.lookup(event.type));
    const outcomes = await inInboxTransaction(this.deps.dataSource, handled, async (manager, fresh) => {
      const outcomes: ProcessOutcome[] = [];
      for (const [i, event] of events.entries()) {
        const handler = this.deps.lookup(event.type);
        if (!handler) outcomes.push('ignored');
        else if (!fresh.delete(event.eventId.toLowerCase())) outcomes.push('duplicate');
        else {
          const { topic, partition, headers } = messages[i];
          const traced = { topic, partition, eventType: event.type, eventId: event.eventId, orderId: event.orderId };
          const context = { correlationId: event.correlationId, causationId: event.eventId, orderId: event.orderId };
          const timer = eventMetrics.handlerSeconds.startTimer({ type: event.type });
          await withConsumedEventSpan(headers, traced, () =>
            workContext.run(context, () => handler(event, new EventContext(event, manager, this.deps.outbox))),
          );
          timer();
          outcomes.push('applied');
        }
      }
      return outcomes;
    });
    events.forEach((event, i) => {
      if (outcomes[i] !== 'ignored') eventMetrics.consumed.inc({ type: event.type, outcome: outcomes[i] });
    });
    return outcomes;
  }

  /**
   * A message whose type header names a type this service has no handler for is someone else's:
   * it is neither parsed nor validated here (the services that handle it dead-letter it if invalid).
   */
  private notHandled(message: IncomingMessage): boolean {
    const type = message.headers[EVENT_HEADERS.eventType];
    return type !== undefined && this.deps.lookup(type) === undefined;
  }

  private parse(message: IncomingMessage): { ok: true; event: EventEnvelope } | { ok: false; reason: string } {
    if (message.value === null) return { ok: false, reason: 'message has no value' };
    let raw: unknown;
    try {
      raw = JSON.parse(message.value);
    } catch (error) {
      return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
    }
    return parseEvent(raw);
  }

  private applyOnce(event: EventEnvelope, handler: NonNullable<ReturnType<HandlerLookup>>): Promise<boolean> {
    return inInboxTransaction(this.deps.dataSource, [event], async (manager, fresh) => {
      if (fresh.size === 0) return false;
      await handler(event, new EventContext(event, manager, this.deps.outbox));
      return true;
    });
  }
}
