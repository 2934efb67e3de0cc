import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { RELEASE_REASONS, ReservationsService } from '../reservations/reservations.service';

/** Repair commands from the reconciliation service that concern inventory's data. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly reservations: ReservationsService) {}

  @EventPattern('ReleaseReservationRequested')
  releaseReservation(@Payload() event: EventEnvelope<'ReleaseReservationRequested'>, @Ctx() context: EventContext) {
    return this.reservations.releaseReservation(context, RELEASE_REASONS.repair, event.payload.reservationId);
  }

  @EventPattern('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.reservations.republishEvents(event, context);
  }
}
