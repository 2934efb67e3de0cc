import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { ReservationTrackingService } from '../reservations/reservation-tracking.service';

/** What inventory does when shipment-service speaks. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly reservations: ReservationTrackingService) {}

  @EventPattern('ShipmentDispatched')
  commitShipment(@Payload() event: EventEnvelope<'ShipmentDispatched'>, @Ctx() context: EventContext) {
    return this.reservations.commitShipment(event, context);
  }
}
