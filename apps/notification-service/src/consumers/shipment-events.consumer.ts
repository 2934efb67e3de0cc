import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.shipment.events: created and delivered come on the same topic and key, so in order. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('ShipmentCreated')
  shipmentCreated(@Payload() event: EventEnvelope<'ShipmentCreated'>, @Ctx() context: EventContext) {
    return this.notifications.trackShipment(event, context);
  }

  @EventPattern('ShipmentDispatched')
  shipmentDispatched(@Payload() event: EventEnvelope<'ShipmentDispatched'>, @Ctx() context: EventContext) {
    return this.notifications.notifyDispatch(event, context);
  }

  @EventPattern('ShipmentDelivered')
  shipmentDelivered(@Payload() event: EventEnvelope<'ShipmentDelivered'>, @Ctx() context: EventContext) {
    return this.notifications.shipmentDelivered(event, context);
  }

  @EventPattern('ShipmentCancelled')
  shipmentCancelled(@Payload() event: EventEnvelope<'ShipmentCancelled'>, @Ctx() context: EventContext) {
    return this.notifications.shipmentCancelled(event, context);
  }
}
