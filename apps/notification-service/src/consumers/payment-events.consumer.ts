import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.payment.events */
@Controller()
export class PaymentEventsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('PaymentAuthorized')
  paymentAuthorized(@Payload() event: EventEnvelope<'PaymentAuthorized'>, @Ctx() context: EventContext) {
    return this.notifications.notifyOfDecision(event, context);
  }

  @EventPattern('PaymentDeclined')
  paymentDeclined(@Payload() event: EventEnvelope<'PaymentDeclined'>, @Ctx() context: EventContext) {
    return this.notifications.notifyOfDecision(event, context);
  }
}
