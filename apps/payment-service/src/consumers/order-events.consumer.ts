import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentsService } from '../payments/payments.service';

/** What payment does when order-service speaks. */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  /** Carries the payment token; authorization waits for it and for InventoryReserved. */
  @EventPattern('OrderPlaced')
  recordOrder(@Payload() event: EventEnvelope<'OrderPlaced'>, @Ctx() context: EventContext) {
    return this.payments.recordOrder(event, context);
  }

  @EventPattern('OrderCancellationRequested')
  cancelPayment(@Payload() event: EventEnvelope<'OrderCancellationRequested'>, @Ctx() context: EventContext) {
    return this.payments.cancelPayment(event, context);
  }
}
