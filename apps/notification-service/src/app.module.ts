import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { milestoneDocumentOptions, MilestoneDocumentsCompact1764400000000 } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { Notifications1763800000000 } from './migrations/1763800000000-notifications';
import { NotifiedOrderByOrderId1764000000000 } from './migrations/1764000000000-notified-order-by-order-id';
import { NotifiedOrderUpdatedAtTriggers1764100000000 } from './migrations/1764100000000-notified-order-updated-at-triggers';
import { NotificationMilestoneDocuments1764200000000 } from './migrations/1764200000000-notification-milestone-documents';
import { NotificationMilestoneDocumentGenerations1764300000000 } from './migrations/1764300000000-notification-milestone-document-generations';
import { MilestonesModule } from './milestones/milestones.module';
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
          migrations: [Notifications1763800000000, NotifiedOrderByOrderId1764000000000, NotifiedOrderUpdatedAtTriggers1764100000000, NotificationMilestoneDocuments1764200000000, NotificationMilestoneDocumentGenerations1764300000000, MilestoneDocumentsCompact1764400000000],
        }),
        notifications,
        ConsumersModule.forRoot(notifications),
        MilestonesModule.forRoot(milestoneDocumentOptions(config)),
      ],
    };
  }
}
