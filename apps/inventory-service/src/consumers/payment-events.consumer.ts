import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { RELEASE_REASONS } from '../reservations/reservation-rules';
import { ReservationTrackingService } from '../reservations/reservation-tracking.service';

/** What inventory does when payment-service speaks. */
@Controller()
export class PaymentEventsConsumer {
  constructor(private readonly reservations: ReservationTrackingService) {}

  /** Compensation: the order will not be paid, so its stock goes back on sale. */
  @EventPattern('PaymentDeclined')
  releaseForDeclinedPayment(@Payload() _event: EventEnvelope<'PaymentDeclined'>, @Ctx() context: EventContext) {
    return this.reservations.releaseReservation(context, RELEASE_REASONS.paymentDeclined);
  }
}
