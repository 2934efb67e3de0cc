import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentsService } from '../payments/payments.service';

/** What payment does when shipment-service speaks. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @EventPattern('ShipmentDispatched')
  captureShipment(@Payload() event: EventEnvelope<'ShipmentDispatched'>, @Ctx() context: EventContext) {
    return this.payments.captureShipment(event, context);
  }
}
