import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '../config';
import { NOTIFICATION_FAILURE_RATE, NotificationChannel, RANDOM } from './notification-channel';
import { NOTIFICATION_RETRY_INTERVAL_MS, NotificationRetrySweep } from './notification-retry-sweep';
import { NotificationsController } from './notifications.controller';
import { NotificationsQueryService } from './notifications-query.service';
import { NOTIFICATION_RETRY_POLICY, NotificationsService } from './notifications.service';

@Module({})
export class NotificationsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [NotificationsController],
      providers: [
        { provide: NOTIFICATION_FAILURE_RATE, useValue: config.NOTIFICATION_FAILURE_RATE },
        { provide: RANDOM, useValue: Math.random },
        { provide: NOTIFICATION_RETRY_INTERVAL_MS, useValue: config.NOTIFICATION_RETRY_INTERVAL_MS },
        {
          provide: NOTIFICATION_RETRY_POLICY,
          useValue: { maxAttempts: Infinity, initialDelayMs: config.NOTIFICATION_RETRY_INITIAL_DELAY_MS, maxDelayMs: config.NOTIFICATION_RETRY_MAX_DELAY_MS },
        },
        NotificationChannel,
        NotificationsService,
        NotificationsQueryService,
        NotificationRetrySweep,
      ],
      exports: [NotificationsService],
    };
  }
}
