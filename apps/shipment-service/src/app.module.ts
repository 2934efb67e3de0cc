import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOPICS } from '@commerce/contracts';
import { MessagingModule, MessagingTables1763770000000 } from '@commerce/messaging';
import { brokerList, databaseUrlFor, PlatformModule, serviceDatabase } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { MilestonesModule } from './milestones/milestones.module';
import { Shipments1763800000000 } from './migrations/1763800000000-shipments';
import { OrderFacts, Shipment } from './shipments/entities';
import { ShipmentsModule } from './shipments/shipments.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const databaseUrl = databaseUrlFor(config.DATABASE_URL, config.DATABASE_NAME);
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(),
        TypeOrmModule.forRoot(
          serviceDatabase({
            url: databaseUrl,
            entities: [OrderFacts, Shipment],
            migrations: [MessagingTables1763770000000, Shipments1763800000000],
          }),
        ),
        MessagingModule.forRoot({
          service: 'shipment-service',
          brokers: brokerList(config.KAFKA_BROKERS),
          subscribe: [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.paymentEvents, TOPICS.reconciliationCommands],
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          databaseUrl,
        }),
        ShipmentsModule.forRoot({
          dispatchAfterSeconds: config.AUTO_DISPATCH_SECONDS,
          deliverAfterSeconds: config.AUTO_DELIVER_SECONDS,
          sweepIntervalMs: config.AUTO_SWEEP_INTERVAL_MS,
        }),
        MilestonesModule,
      ],
    };
  }
}
