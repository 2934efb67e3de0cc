import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { OrderTrackingService } from '../orders/order-tracking.service';

/** commerce.payment.events: the payment decision, captures and compensations. */
@Controller()
export class PaymentEventsConsumer {
  constructor(private readonly tracking: OrderTrackingService) {}

  @EventPattern('PaymentAuthorized')
  paymentAuthorized(@Payload() event: EventEnvelope<'PaymentAuthorized'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('PaymentDeclined')
  paymentDeclined(@Payload() event: EventEnvelope<'PaymentDeclined'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('PaymentCaptured')
  paymentCaptured(@Payload() event: EventEnvelope<'PaymentCaptured'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('PaymentVoided')
  paymentVoided(@Payload() event: EventEnvelope<'PaymentVoided'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('PaymentRefunded')
  paymentRefunded(@Payload() event: EventEnvelope<'PaymentRefunded'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }
}
