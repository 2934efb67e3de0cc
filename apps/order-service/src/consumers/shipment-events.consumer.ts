import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { OrderTrackingService } from '../orders/order-tracking.service';

/** commerce.shipment.events: each shipment's progress, and the answers to a cancellation. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly tracking: OrderTrackingService) {}

  @EventPattern('ShipmentCreated')
  shipmentCreated(@Payload() event: EventEnvelope<'ShipmentCreated'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('ShipmentDispatched')
  shipmentDispatched(@Payload() event: EventEnvelope<'ShipmentDispatched'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('ShipmentDelivered')
  shipmentDelivered(@Payload() event: EventEnvelope<'ShipmentDelivered'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('ShipmentCancelled')
  shipmentCancelled(@Payload() event: EventEnvelope<'ShipmentCancelled'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('ShipmentCancellationRefused')
  shipmentCancellationRefused(@Payload() event: EventEnvelope<'ShipmentCancellationRefused'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }
}
