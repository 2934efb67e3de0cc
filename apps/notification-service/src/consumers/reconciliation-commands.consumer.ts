import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.reconciliation.commands: the repairs the notification service owns. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  /** A resend notification cannot make is refused with a fact, so the case reaches a person at once. */
  @EventPattern('ResendNotificationRequested')
  async resendNotification(@Payload() event: EventEnvelope<'ResendNotificationRequested'>, @Ctx() context: EventContext) {
    const refusal = await this.notifications.resend(event, context);
    if (refusal === null) return;
    const { caseId, rule } = event.payload;
    await context.emit('NotificationRepairRefused', { caseId, rule, commandEventId: event.eventId, commandType: event.type, reason: refusal });
  }
}
