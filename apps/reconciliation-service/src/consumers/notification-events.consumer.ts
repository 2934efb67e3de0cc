import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { RepairRefusals } from '../repairs/repair-refusals';

/** commerce.notification.events: only the answers to repair commands; every other notification event is skipped (no inbox row, no handler). */
@Controller()
export class NotificationEventsConsumer {
  constructor(private readonly refusals: RepairRefusals) {}

  @EventPattern('NotificationRepairRefused')
  repairRefused(@Payload() event: EventEnvelope<'NotificationRepairRefused'>, @Ctx() context: EventContext) {
    return this.refusals.refused(event, context);
  }
}
