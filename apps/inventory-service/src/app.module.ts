import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOPICS } from '@commerce/contracts';
import { MessagingModule, MessagingTables1763770000000 } from '@commerce/messaging';
import { brokerList, databaseUrlFor, PlatformModule, serviceDatabase } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { InventoryTables1763780000000 } from './migrations/1763780000000-inventory-tables';
import { MilestonesModule } from './milestones/milestones.module';
import { Reservation, ReservationCommit, ReservationLine } from './reservations/reservation.entity';
import { ReservationsModule } from './reservations/reservations.module';
import { StockLevel } from './stock/stock-level.entity';
import { StockModule } from './stock/stock.module';

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
            entities: [StockLevel, Reservation, ReservationLine, ReservationCommit],
            migrations: [MessagingTables1763770000000, InventoryTables1763780000000],
          }),
        ),
        MessagingModule.forRoot({
          service: 'inventory-service',
          brokers: brokerList(config.KAFKA_BROKERS),
          subscribe: [TOPICS.orderEvents, TOPICS.paymentEvents, TOPICS.shipmentEvents, TOPICS.reconciliationCommands],
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          databaseUrl,
        }),
        StockModule,
        ReservationsModule,
        ConsumersModule,
        MilestonesModule,
      ],
    };
  }
}
