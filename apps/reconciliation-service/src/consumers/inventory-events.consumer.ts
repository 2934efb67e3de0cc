import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { RepairRefusals } from '../repairs/repair-refusals';

/** commerce.inventory.events: only the answers to repair commands; every other inventory event is skipped (no inbox row, no handler). */
@Controller()
export class InventoryEventsConsumer {
  constructor(private readonly refusals: RepairRefusals) {}

  @EventPattern('InventoryRepairRefused')
  repairRefused(@Payload() event: EventEnvelope<'InventoryRepairRefused'>, @Ctx() context: EventContext) {
    return this.refusals.refused(event, context);
  }
}
