import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { ShipmentTrackingService } from '../shipments/shipment-tracking.service';

/** What shipment-service takes from order-service: the priced lines and address; cancellations. */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly shipments: ShipmentTrackingService) {}

  @EventPattern<EventType>('OrderPlaced')
  recordOrder(@Payload() event: EventEnvelope<'OrderPlaced'>, @Ctx() context: EventContext) {
    return this.shipments.recordOrderPlaced(event, context);
  }

  @EventPattern<EventType>('OrderCancellationRequested')
  cancelShipments(@Payload() event: EventEnvelope<'OrderCancellationRequested'>, @Ctx() context: EventContext) {
    return this.shipments.cancelForOrder(event, context);
  }
}
