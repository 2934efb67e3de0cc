import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentAuthorizationService } from '../payments/payment-authorization.service';
import { PaymentCompensationService } from '../payments/payment-compensation.service';

/** What payment does when order-service speaks. */
@Controller()
export class OrderEventsConsumer {
  constructor(
    private readonly authorization: PaymentAuthorizationService,
    private readonly compensation: PaymentCompensationService,
  ) {}

  /** Carries the payment token; authorization waits for it and for InventoryReserved. */
  @EventPattern('OrderPlaced')
  recordOrder(@Payload() event: EventEnvelope<'OrderPlaced'>, @Ctx() context: EventContext) {
    return this.authorization.recordOrder(event, context.manager);
  }

  @EventPattern('OrderCancellationRequested')
  cancelPayment(@Payload() event: EventEnvelope<'OrderCancellationRequested'>) {
    return this.compensation.cancelPayment(event);
  }
}
