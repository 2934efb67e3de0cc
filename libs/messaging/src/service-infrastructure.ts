import type { DynamicModule } from '@nestjs/common';
import { brokerList, databaseUrlFor, PlatformModule, serviceDatabaseModule, type ServiceDatabaseOptions } from '@commerce/platform';
import { MessagingModule, type MessagingModuleOptions } from './messaging.module';
import { MessagingTables1763770000000 } from './migrations/1763770000000-messaging-tables';

/** The settings of `baseConfigSchema` plus the two every service with a database and topics has. */
export interface InfrastructureConfig {
  DATABASE_URL: string;
  /** The service's own database on that server. */
  DATABASE_NAME: string;
  KAFKA_BROKERS: string;
  /** Prepended to every topic name and the consumer group. @defaultValue '' */
  KAFKA_TOPIC_PREFIX?: string;
}

export interface ServiceInfrastructureOptions {
  /** The service's name: envelope `producer`, Kafka client id and consumer group. */
  service: string;
  config: InfrastructureConfig;
  entities: ServiceDatabaseOptions['entities'];
  /** The service's own migrations, oldest first; the messaging tables' migration always runs before them. */
  migrations: Array<string | (new () => unknown)>;
  /** Further messaging settings (retry policy, relay, consumer concurrency). */
  messaging?: Omit<MessagingModuleOptions, 'service' | 'brokers' | 'topicPrefix' | 'databaseUrl'>;
}

/**
 * What every service's AppModule imports first, wired one way: the platform (problem details,
 * /health, /metrics, correlation ids), its own database with migrations run at start-up, once across replicas (the
 * messaging tables first), and messaging (outbox, relay, inbox, and a consumer of the topics its `@EventPattern` handlers need).
 */
export function serviceInfrastructure(options: ServiceInfrastructureOptions): DynamicModule[] {
  const { config } = options;
  const databaseUrl = databaseUrlFor(config.DATABASE_URL, config.DATABASE_NAME);
  return [
    PlatformModule.forRoot(),
    serviceDatabaseModule({
      url: databaseUrl,
      entities: options.entities,
      migrations: [MessagingTables1763770000000, ...options.migrations],
    }),
    MessagingModule.forRoot({
      ...options.messaging,
      service: options.service,
      brokers: brokerList(config.KAFKA_BROKERS),
      topicPrefix: config.KAFKA_TOPIC_PREFIX ?? '',
      databaseUrl,
    }),
  ];
}
