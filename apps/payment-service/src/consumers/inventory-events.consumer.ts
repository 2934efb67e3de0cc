import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentAuthorizationService } from '../payments/payment-authorization.service';

/** What payment does when inventory-service speaks. */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly authorization: PaymentAuthorizationService) {}

  @EventPattern('InventoryReserved')
  authorizeReservedOrder(@Payload() event: EventEnvelope<'InventoryReserved'>, @Ctx() context: EventContext) {
    return this.authorization.recordReservation(event, context.manager);
  }
}
