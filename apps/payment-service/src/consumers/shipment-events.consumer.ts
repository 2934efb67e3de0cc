import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@commerce/contracts';
import { PaymentCaptureService } from '../payments/payment-capture.service';

/** What payment does when shipment-service speaks. */
@Controller()
export class ShipmentEventsConsumer {
  constructor(private readonly captures: PaymentCaptureService) {}

  @EventPattern('ShipmentDispatched')
  captureShipment(@Payload() event: EventEnvelope<'ShipmentDispatched'>) {
    return this.captures.captureShipment(event);
  }
}
