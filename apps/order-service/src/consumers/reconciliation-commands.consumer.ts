import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { OrderTrackingService } from '../orders/order-tracking.service';

/** commerce.reconciliation.commands: the repairs the order service owns. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly tracking: OrderTrackingService) {}

  @EventPattern('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.tracking.republishEvents(event, context);
  }
}
