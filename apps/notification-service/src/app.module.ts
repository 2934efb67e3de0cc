import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOPICS } from '@commerce/contracts';
import { MessagingModule, MessagingTables1763770000000 } from '@commerce/messaging';
import { brokerList, databaseUrlFor, PlatformModule, serviceDatabase } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { Notifications1763800000000 } from './migrations/1763800000000-notifications';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';

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
            entities: [NotificationEntity],
            migrations: [MessagingTables1763770000000, Notifications1763800000000],
          }),
        ),
        MessagingModule.forRoot({
          service: 'notification-service',
          brokers: brokerList(config.KAFKA_BROKERS),
          subscribe: [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.paymentEvents, TOPICS.shipmentEvents, TOPICS.reconciliationCommands],
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          databaseUrl,
        }),
        NotificationsModule.forRoot(config),
      ],
    };
  }
}
