import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentCaptureService } from '../payments/payment-capture.service';
import { PaymentCompensationService } from '../payments/payment-compensation.service';
import { PaymentRepublishService } from '../payments/payment-republish.service';

/** Repair commands from the reconciliation service that concern payment's data; all idempotent. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(
    private readonly captures: PaymentCaptureService,
    private readonly compensation: PaymentCompensationService,
    private readonly republish: PaymentRepublishService,
  ) {}

  @EventPattern('VoidPaymentRequested')
  voidPayment(@Payload() event: EventEnvelope<'VoidPaymentRequested'>) {
    return this.compensation.voidRequested(event);
  }

  @EventPattern('RefundPaymentRequested')
  refundPayment(@Payload() event: EventEnvelope<'RefundPaymentRequested'>) {
    return this.compensation.refundRequested(event);
  }

  /** A capture payment cannot make is refused with a fact, so the case reaches a person at once. */
  @EventPattern('CapturePaymentRequested')
  async capturePayment(@Payload() event: EventEnvelope<'CapturePaymentRequested'>, @Ctx() context: EventContext) {
    const refusal = await this.captures.captureDispatched(event.orderId, event.payload.shipmentId);
    if (refusal === null) return;
    const { caseId, rule } = event.payload;
    await context.emit('PaymentRepairRefused', { caseId, rule, commandEventId: event.eventId, commandType: event.type, reason: refusal });
  }

  @EventPattern('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.republish.republishEvents(event, context);
  }
}
