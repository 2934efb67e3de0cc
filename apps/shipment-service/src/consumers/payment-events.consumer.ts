import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { ShipmentTrackingService } from '../shipments/shipment-tracking.service';

/** What shipment-service takes from payment-service: the authorization that lets goods leave. */
@Controller()
export class PaymentEventsConsumer {
  constructor(private readonly shipments: ShipmentTrackingService) {}

  @EventPattern<EventType>('PaymentAuthorized')
  recordAuthorization(@Payload() event: EventEnvelope<'PaymentAuthorized'>, @Ctx() context: EventContext) {
    return this.shipments.recordPaymentAuthorized(event, context);
  }
}
