import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/** commerce.inventory.events */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('InventoryRejected')
  inventoryRejected(@Payload() event: EventEnvelope<'InventoryRejected'>, @Ctx() context: EventContext) {
    return this.notifications.notifyOfDecision(event, context);
  }
}
