import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { RELEASE_REASONS } from '../reservations/reservation-rules';
import { ReservationTrackingService } from '../reservations/reservation-tracking.service';

/** Repair commands from the reconciliation service that concern inventory's data. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly reservations: ReservationTrackingService) {}

  /** A release inventory cannot make is refused with a fact, so the case reaches a person at once. */
  @EventPattern('ReleaseReservationRequested')
  async releaseReservation(@Payload() event: EventEnvelope<'ReleaseReservationRequested'>, @Ctx() context: EventContext) {
    const refusal = await this.reservations.releaseReservation(context, RELEASE_REASONS.repair, event.payload.reservationId);
    if (refusal === null) return;
    const { caseId, rule } = event.payload;
    await context.emit('InventoryRepairRefused', { caseId, rule, commandEventId: event.eventId, commandType: event.type, reason: refusal });
  }

  @EventPattern('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.reservations.republishEvents(event, context);
  }
}
