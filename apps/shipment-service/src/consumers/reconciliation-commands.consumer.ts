import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { ShipmentTrackingService } from '../shipments/shipment-tracking.service';

/** Repair commands from the reconciliation service that concern shipment-service's data. */
@Controller()
export class ReconciliationCommandsConsumer {
  constructor(private readonly shipments: ShipmentTrackingService) {}

  @EventPattern<EventType>('RepublishEventsRequested')
  republishEvents(@Payload() event: EventEnvelope<'RepublishEventsRequested'>, @Ctx() context: EventContext) {
    return this.shipments.republishForOrder(event, context);
  }
}
