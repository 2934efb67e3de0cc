import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { PaymentCaptureService } from '../payments/payment-capture.service';

/** What payment does when shipment-service speaks. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly captures: PaymentCaptureService) {}

  @EventPattern('ShipmentDispatched')
  captureShipment(@Payload() event: EventEnvelope<'ShipmentDispatched'>, @Ctx() context: EventContext) {
    return this.captures.captureShipment(event, context.manager);
  }
}
