import type { DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { brokerList, type CredentialConfig, credentialGuardOptions, type KafkaSecurity, kafkaSecurity, PlatformModule, ProcessMetrics, serviceDatabaseModule, type ServiceDatabaseOptions, type StateMachineTable } from '@commerce/platform';
import { MessagingModule, type MessagingModuleOptions } from './messaging.module';
import { MessagingTables1763770000000 } from './migrations/1763770000000-messaging-tables';

/** The settings of `baseConfigSchema` plus the two every service with a database and topics has. */
export interface InfrastructureConfig extends CredentialConfig {
  /** The URL of the service's own database (`databaseSettings` of @commerce/platform). */
  DATABASE_URL: string;
  KAFKA_BROKERS: string;
  /** Statements run prepared (serviceDatabase). @defaultValue true */
  DATABASE_PREPARED_STATEMENTS?: boolean;
  /** How long a query waits for a pool connection (serviceDatabase). @defaultValue 5000 */
  DATABASE_CONNECT_TIMEOUT_MS?: number;
  /** TLS and SASL to the brokers (`kafkaSecuritySettings` of @commerce/platform, in `baseConfigSchema`). @defaultValue none */
  KAFKA_SSL?: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
  KAFKA_SASL_MECHANISM?: NonNullable<KafkaSecurity['sasl']>['mechanism'];
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  /** Prepended to every topic name and the consumer group. @defaultValue '' */
  KAFKA_TOPIC_PREFIX?: string;
  /** Age past which a non-final instance is an SLA breach. @defaultValue 1800 */
  PROCESS_SLA_SECONDS?: number;
}

export interface ServiceInfrastructureOptions {
  /** The service's name: envelope `producer`, Kafka client id and consumer group. */
  service: string;
  config: InfrastructureConfig;
  entities: ServiceDatabaseOptions['entities'];
  /** The service's own migrations, oldest first; the messaging tables' migration always runs before them. */
  migrations: Array<string | (new () => unknown)>;
  /** The service's state machines, counted by state on /metrics (process telemetry). */
  stateMachines?: StateMachineTable[];
  /** Further messaging settings (retry policy, relay, consumer concurrency). */
  messaging?: Omit<MessagingModuleOptions, 'service' | 'brokers' | 'topicPrefix' | 'databaseUrl'>;
}

/**
 * What every service's AppModule imports first, wired one way: the platform (problem details,
 * /health, /metrics, correlation ids, API keys on every other route), its own database with migrations run at start-up, once across replicas (the
 * messaging tables first), and messaging (outbox, relay, inbox, and a consumer of the topics its `@EventPattern` handlers need).
 */
export function serviceInfrastructure(options: ServiceInfrastructureOptions): DynamicModule[] {
  const { config } = options;
  const databaseUrl = config.DATABASE_URL;
  return [
    PlatformModule.forRoot({ credentials: credentialGuardOptions(config) }),
    serviceDatabaseModule({
      url: databaseUrl,
      entities: options.entities,
      migrations: [MessagingTables1763770000000, ...options.migrations],
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    }),
    MessagingModule.forRoot({
      ...options.messaging,
      service: options.service,
      brokers: brokerList(config.KAFKA_BROKERS),
      security: kafkaSecurity(config),
      topicPrefix: config.KAFKA_TOPIC_PREFIX ?? '',
      databaseUrl,
    }),
    {
      module: class ProcessTelemetryModule {},
      providers: [
        {
          provide: ProcessMetrics,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) =>
            new ProcessMetrics(dataSource, options.service, options.stateMachines ?? [], config.PROCESS_SLA_SECONDS ?? 1800),
        },
      ],
    },
  ];
}
