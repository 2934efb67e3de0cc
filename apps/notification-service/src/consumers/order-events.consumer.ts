import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.order.events */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('OrderCancellationRequested')
  cancellationRequested(@Payload() event: EventEnvelope<'OrderCancellationRequested'>, @Ctx() context: EventContext) {
    return this.notifications.notifyCancellation(event, context);
  }
}
