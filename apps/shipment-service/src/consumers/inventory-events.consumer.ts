import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { ShipmentTrackingService } from '../shipments/shipment-tracking.service';

/** What shipment-service takes from inventory-service: which node each line was reserved at. */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly shipments: ShipmentTrackingService) {}

  @EventPattern<EventType>('InventoryReserved')
  recordReservation(@Payload() event: EventEnvelope<'InventoryReserved'>, @Ctx() context: EventContext) {
    return this.shipments.recordInventoryReserved(event, context);
  }
}
