import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { OrderTrackingService } from '../orders/order-tracking.service';

/** commerce.inventory.events: the reservation decision and its compensation. */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly tracking: OrderTrackingService) {}

  @EventPattern('InventoryReserved')
  inventoryReserved(@Payload() event: EventEnvelope<'InventoryReserved'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('InventoryRejected')
  inventoryRejected(@Payload() event: EventEnvelope<'InventoryRejected'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }

  @EventPattern('InventoryReleased')
  inventoryReleased(@Payload() event: EventEnvelope<'InventoryReleased'>, @Ctx() context: EventContext) {
    return this.tracking.recordFact(event, context);
  }
}
