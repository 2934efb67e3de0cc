import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { createLogger } from '@commerce/platform';
import type { MessageConsumer, MessageProducer, MessagingClient } from '../kafka/ports';
import type { Outbox } from '../outbox/outbox';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { RetryPolicy } from '../retry';
import { DeadLetterSink } from '../dead-letters/dead-letter-sink';
import type { EventHandler } from './event-context';
import { EventProcessor } from './event-processor';
import { subscriptionsFor } from './subscriptions';

export interface KafkaEventTransportOptions {
  client: MessagingClient;
  dataSource: DataSource;
  outbox: Outbox;
  /** Flushed when the transport closes, after the last in-flight message committed. */
  relay: OutboxRelay;
  dlqProducer: MessageProducer;
  /** The service's consumer group (exactly this id: no `-server` suffix). */
  groupId: string;
  /** Prepended to the topics derived from the handlers (KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
  deadLetterTopic: string;
  retry: RetryPolicy;
  partitionsConsumedConcurrently: number;
  /** Most messages applied in one transaction. */
  maxBatchSize: number;
}

/**
 * A @nestjs/microservices transport on our own consumer: handlers are ordinary
 * `@EventPattern('InventoryReserved')` methods, but each message is validated, applied in
 * one transaction with its inbox row, retried with backoff, and dead-lettered when it keeps
 * failing, and its offset is committed only after that transaction commits. The topics it
 * consumes are those of the event types its handlers are for (`subscriptionsFor`).
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  readonly processor: EventProcessor;
  private consumer: MessageConsumer | null = null;
  private readonly handlers = new Map<string, EventHandler | undefined>();
  private readonly log = createLogger('kafka-transport');

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
    this.processor = new EventProcessor({
      dataSource: options.dataSource,
      outbox: options.outbox,
      deadLetters: new DeadLetterSink(options.dataSource, options.dlqProducer, options.groupId, options.deadLetterTopic),
      retry: options.retry,
      lookup: (type) => this.handlerFor(type),
    });
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      const topics = this.subscriptions();
      const consumer = this.options.client.consumer(this.options.groupId);
      await consumer.connect();
      await consumer.subscribe(topics);
      await consumer.run((messages) => this.processor.processBatch(messages).then(() => undefined), {
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        maxBatchSize: this.options.maxBatchSize,
      });
      this.consumer = consumer;
      this.log.info({ groupId: this.options.groupId, topics }, 'consuming');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Waits for the messages in flight to finish, leaves the group, then publishes what they
   * committed to the outbox (the database is still open at this point of Nest's shutdown).
   */
  async close(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
    await this.options.relay.stop({ flush: true });
  }

  on(): never {
    throw new Error('KafkaEventTransport does not emit transport events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** Nest has registered every `@EventPattern` handler by the time it calls `listen`. */
  private subscriptions(): string[] {
    const topics = subscriptionsFor(this.getHandlers().keys());
    if (topics.length === 0) throw new Error(`Consumer group ${this.options.groupId} has no @EventPattern handler: nothing to consume`);
    return topics.map((topic) => this.options.topicPrefix + topic);
  }

  /** Nest's pattern lookup parses the pattern on every call: resolve each type once. */
  private handlerFor(type: string): EventHandler | undefined {
    if (!this.handlers.has(type)) this.handlers.set(type, this.wrapHandler(type));
    return this.handlers.get(type);
  }

  private wrapHandler(type: string): EventHandler | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler) return undefined;
    return async (event, context) => {
      const result = this.transformToObservable(await handler(event, context));
      return lastValueFrom(result, { defaultValue: undefined }).catch((error: unknown) => {
        // Nest's default RPC exception handler wraps errors in a plain object; restore an Error.
        throw error instanceof Error ? error : new Error(JSON.stringify(error));
      });
    };
  }
}
