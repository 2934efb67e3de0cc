import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { RELEASE_REASONS } from '../reservations/reservation-rules';
import { ReservationTrackingService } from '../reservations/reservation-tracking.service';

/** What inventory does when order-service speaks. */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly reservations: ReservationTrackingService) {}

  @EventPattern('OrderPlaced')
  reserveStock(@Payload() event: EventEnvelope<'OrderPlaced'>, @Ctx() context: EventContext) {
    return this.reservations.reserveStock(event, context);
  }

  @EventPattern('OrderCancellationRequested')
  releaseForCancellation(@Payload() _event: EventEnvelope<'OrderCancellationRequested'>, @Ctx() context: EventContext) {
    return this.reservations.releaseReservation(context, RELEASE_REASONS.orderCancelled);
  }
}
