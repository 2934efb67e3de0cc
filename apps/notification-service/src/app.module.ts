import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { Notifications1763800000000 } from './migrations/1763800000000-notifications';
import { NotifiedOrderByOrderId1764000000000 } from './migrations/1764000000000-notified-order-by-order-id';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const notifications = NotificationsModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.notification,
          config,
          entities: [NotificationEntity],
          migrations: [Notifications1763800000000, NotifiedOrderByOrderId1764000000000, ...milestonesMigrations],
        }),
        notifications,
        ConsumersModule.forRoot(notifications),
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}
