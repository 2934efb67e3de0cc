import {
  type BeforeApplicationShutdown,
  Controller,
  type DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TOPICS } from '@commerce/contracts';
import { BrokerHealth, createLogger, type KafkaSecurity } from '@commerce/platform';
import { KafkaEventTransport } from './consumer/kafka-event-transport';
import { DeadLetters } from './dead-letters/dead-letters';
import { OutboxPendingController } from './dead-letters/outbox-pending';
import { KafkajsMessagingClient } from './kafka/kafkajs-client';
import { MessagingMetrics } from './metrics/messaging-metrics';
import type { MessageProducer, MessagingClient } from './kafka/ports';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
import { defaultRetryPolicy, type RetryPolicy } from './retry';

export interface MessagingModuleOptions {
  /** The service's name: envelope `producer`, Kafka client id and consumer group. */
  service: string;
  brokers: string[];
  /** TLS and SASL to the brokers (`kafkaSecurity` of @commerce/platform). @defaultValue none: a plain listener */
  security?: KafkaSecurity;
  /** Prepended to every topic name, consumed and produced (KAFKA_TOPIC_PREFIX). @defaultValue '' */
  topicPrefix?: string;
  /** Postgres URL of the service's database, for the relay's LISTEN. */
  databaseUrl?: string;
  /** @defaultValue 5 attempts, 100 ms doubling to 5 s */
  retry?: RetryPolicy;
  relay?: Omit<OutboxRelayOptions, 'listenUrl'>;
  /**
   * Partitions applied at once. Each applies its messages in batches, one transaction each, so
   * one is enough for handlers that only touch the database; more serve handlers that wait on
   * something else (a payment gateway), at the price of batches contending for the same rows.
   * @defaultValue 1
   */
  partitionsConsumedConcurrently?: number;
  /** Most consecutive messages of a partition applied in one transaction. @defaultValue 100 */
  maxBatchSize?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const MESSAGING_CLIENT = Symbol('MESSAGING_CLIENT');
export const MESSAGING_PRODUCER = Symbol('MESSAGING_PRODUCER');

/** Connects the producer at start-up, failing with the broker address when none answers. */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = createLogger('messaging');

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(MESSAGING_CLIENT) private readonly client: MessagingClient,
    @Inject(MESSAGING_PRODUCER) private readonly producer: MessageProducer,
    private readonly relay: OutboxRelay,
  ) {}

  async onModuleInit(): Promise<void> {
    const admin = this.client.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      await this.producer.connect();
    } catch (error) {
      throw new Error(
        `Kafka broker unreachable at ${this.options.brokers.join(',')} (KAFKA_BROKERS): ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  /**
   * The event transport already flushed the outbox when it closed (while the database was still
   * open); this only covers an app without the transport (the reconciliation service). Before the
   * shutdown hooks: TypeORM closes the database in its own `onApplicationShutdown`, and a relay
   * still polling then failed with "Connection terminated" (seen once in a bench's shutdown).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop({ flush: false });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch((error: unknown) => this.log.warn({ err: error }, 'producer disconnect failed'));
  }
}

@ApiTags('dead letters')
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  @ApiOperation({ summary: "This service's dead letters, oldest first (pending only unless includeReplayed=true)" })
  list(@Query('includeReplayed') includeReplayed?: string, @Query('limit') limit?: string, @Query('afterId') afterId?: string, @Query('orderId') orderId?: string) {
    return this.deadLetters.list({
      includeReplayed: includeReplayed === 'true',
      limit: limit ? Number(limit) : undefined,
      afterId,
      orderId: orderId || undefined,
    });
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Apply a dead letter again through validation and the inbox (applied at most once)' })
  replay(@Param('id') id: string) {
    return this.deadLetters.replay(id);
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: [DeadLettersController, OutboxPendingController],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: MESSAGING_CLIENT, useFactory: () => new KafkajsMessagingClient(options.brokers, options.service, {}, options.security) },
        {
          provide: MESSAGING_PRODUCER,
          inject: [MESSAGING_CLIENT],
          useFactory: (client: MessagingClient) => client.producer(),
        },
        { provide: Outbox, useFactory: () => new Outbox(options.service, options.topicPrefix ?? '') },
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), MESSAGING_PRODUCER],
          useFactory: (dataSource: DataSource, producer: MessageProducer) =>
            new OutboxRelay(dataSource, producer, { ...options.relay, listenUrl: options.databaseUrl }),
        },
        {
          provide: KafkaEventTransport,
          inject: [MESSAGING_CLIENT, getDataSourceToken(), Outbox, MESSAGING_PRODUCER, OutboxRelay],
          useFactory: (
            client: MessagingClient,
            dataSource: DataSource,
            outbox: Outbox,
            producer: MessageProducer,
            relay: OutboxRelay,
          ) =>
            new KafkaEventTransport({
              client,
              dataSource,
              outbox,
              relay,
              dlqProducer: producer,
              // Prefixed like the topics: kafkajs's round-robin assigner ignores what each member
              // subscribed to, so two namespaces must never share a group.
              groupId: (options.topicPrefix ?? '') + options.service,
              topicPrefix: options.topicPrefix ?? '',
              deadLetterTopic: (options.topicPrefix ?? '') + TOPICS.deadLetter,
              retry: options.retry ?? defaultRetryPolicy,
              partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
              maxBatchSize: options.maxBatchSize ?? 100,
            }),
        },
        {
          provide: DeadLetters,
          inject: [getDataSourceToken(), KafkaEventTransport],
          useFactory: (dataSource: DataSource, transport: KafkaEventTransport) => new DeadLetters(dataSource, transport.processor),
        },
        {
          provide: BrokerHealth,
          inject: [MESSAGING_CLIENT, OutboxRelay],
          useFactory: (client: MessagingClient, relay: OutboxRelay): BrokerHealth => ({
            async check() {
              const admin = client.admin();
              try {
                await admin.connect();
                const cluster = await admin.describeCluster();
                return { brokers: cluster.brokers, outboxBacklog: await relay.backlog() };
              } finally {
                await admin.disconnect().catch(() => undefined);
              }
            },
          }),
        },
        {
          provide: MessagingMetrics,
          inject: [getDataSourceToken(), MESSAGING_CLIENT],
          useFactory: (dataSource: DataSource, client: MessagingClient) => new MessagingMetrics(dataSource, client, (options.topicPrefix ?? '') + options.service),
        },
        MessagingLifecycle,
      ],
      exports: [BrokerHealth, Outbox, OutboxRelay, KafkaEventTransport, DeadLetters, MESSAGING_CLIENT, MESSAGING_PRODUCER],
    };
  }
}
