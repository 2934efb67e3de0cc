import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentsService } from '../payments/payments.service';

/** Repair commands from the reconciliation service that concern payment's data; all idempotent. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @EventPattern('VoidPaymentRequested')
  voidPayment(@Payload() event: EventEnvelope<'VoidPaymentRequested'>, @Ctx() context: EventContext) {
    return this.payments.voidRequested(event, context);
  }

  @EventPattern('RefundPaymentRequested')
  refundPayment(@Payload() event: EventEnvelope<'RefundPaymentRequested'>, @Ctx() context: EventContext) {
    return this.payments.refundRequested(event, context);
  }

  @EventPattern('CapturePaymentRequested')
  capturePayment(@Payload() event: EventEnvelope<'CapturePaymentRequested'>, @Ctx() context: EventContext) {
    return this.payments.captureDispatched(context, event.payload.shipmentId);
  }

  @EventPattern('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.payments.republishEvents(event, context);
  }
}
