import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.reconciliation.commands: the repairs the notification service owns. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('ResendNotificationRequested')
  resendNotification(@Payload() event: EventEnvelope<'ResendNotificationRequested'>, @Ctx() context: EventContext) {
    return this.notifications.resend(event, context);
  }
}
