import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaEventTransport, MessagingModule, MessagingTables1763770000000 } from '@commerce/messaging';
import { brokerList, credentialGuard, kafkaSecurity, PlatformModule, plainApiKey, redisConnection, type ServiceAppOptions, serviceDatabaseModule } from '@commerce/platform';
import { CaseAuditEntity } from './cases/case-audit.entity';
import { RepairCaseEntity } from './cases/case.entity';
import { CasesModule } from './cases/cases.module';
import type { ServiceConfig } from './config';
import { JobsModule } from './jobs/jobs.module';
import { QueuesModule } from './jobs/queues.module';
import { Reconciliation1763900000000 } from './migrations/1763900000000-reconciliation';
import { OrdersModule } from './orders/orders.module';
import { PipeAudit1765100000000 } from './migrations/1765100000000-pipe-audit';
import { WebhookDeliveries1765210000000 } from './migrations/1765210000000-webhook-deliveries';
import { RunRanges1765300000000 } from './migrations/1765300000000-run-ranges';
import { PipesModule } from './pipes/pipes.module';
import { RepairsModule } from './repairs/repairs.module';
import { RulesModule } from './rules/rules.module';
import { RunEntity } from './runs/run.entity';
import { RunsModule } from './runs/runs.module';
import { SettingsModule } from './settings.module';
import { StatsModule } from './stats/stats.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** What the service is, for start-up and for the tests that start it (OpenAPI declares the key). */
export const RECONCILIATION_APP: ServiceAppOptions = {
  service: 'reconciliation-service',
  description: "Reconciliation: compares every service's milestones per order, opens repair cases and emits repair commands.",
  requireApiKey: true,
  // Consumes the services' refusals of repair commands, and nothing else (README).
  eventTransport: KafkaEventTransport,
};

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const databaseUrl = config.DATABASE_URL;
    return {
      module: AppModule,
      // Every route but /health and /metrics (and /docs, served outside Nest's routing) needs the key.
      providers: [credentialGuard({ keys: [plainApiKey('operator', 'write', config.RECONCILIATION_API_KEY)], failuresPerMinute: config.API_KEY_FAILURES_PER_MINUTE })],
      imports: [
        PlatformModule.forRoot(),
        SettingsModule.forRoot(config),
        serviceDatabaseModule({
          url: databaseUrl,
          entities: [RepairCaseEntity, CaseAuditEntity, RunEntity],
          migrations: [MessagingTables1763770000000, Reconciliation1763900000000, PipeAudit1765100000000, WebhookDeliveries1765210000000, RunRanges1765300000000],
          preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
          connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        }),
        // Produces repair commands through the outbox; consumes only their refusals (see README: why no event ledger).
        MessagingModule.forRoot({
          service: 'reconciliation-service',
          brokers: brokerList(config.KAFKA_BROKERS),
          security: kafkaSecurity(config),
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          databaseUrl,
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL, config.REDIS_TLS_CA_FILE), prefix: config.RECONCILIATION_QUEUE_PREFIX }),
        QueuesModule.forRoot(config),
        RulesModule,
        CasesModule,
        RunsModule,
        RepairsModule,
        JobsModule,
        StatsModule,
        OrdersModule,
        PipesModule,
        WebhooksModule,
      ],
    };
  }
}
