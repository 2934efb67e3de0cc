import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { EventContext } from '@commerce/messaging';
import { RepairRefusals } from '../repairs/repair-refusals';

/** commerce.payment.events: only the answers to repair commands; every other payment event is skipped (no inbox row, no handler). */
@Controller()
export class PaymentEventsConsumer {
  constructor(private readonly refusals: RepairRefusals) {}

  @EventPattern('PaymentRepairRefused')
  repairRefused(@Payload() event: EventEnvelope<'PaymentRepairRefused'>, @Ctx() context: EventContext) {
    return this.refusals.refused(event, context);
  }
}
