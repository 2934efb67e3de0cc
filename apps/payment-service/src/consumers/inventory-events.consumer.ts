import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentsService } from '../payments/payments.service';

/** What payment does when inventory-service speaks. */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @EventPattern('InventoryReserved')
  authorizeReservedOrder(@Payload() event: EventEnvelope<'InventoryReserved'>, @Ctx() context: EventContext) {
    return this.payments.recordReservation(event, context);
  }
}
