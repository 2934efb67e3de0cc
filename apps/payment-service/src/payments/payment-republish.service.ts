import { Injectable } from '@nestjs/common';
import { type EventEnvelope, type EventType, SERVICES } from '@commerce/contracts';
import { type EventContext, republishStoredEvents } from '@commerce/messaging';
import { Payment, PaymentCapture, PaymentRefund } from './payment.entity';

/** The reconciliation's RepublishEventsRequested repair, for payment's events. */
@Injectable()
export class PaymentRepublishService {
  /** Emits again, as new events, this service's facts of the requested types, from stored data. */
  async republishEvents(event: EventEnvelope<'RepublishEventsRequested'>, context: EventContext): Promise<void> {
    await republishStoredEvents(event, context, { producer: SERVICES.payment, storedEvents: storedPaymentEvents });
  }
}

async function storedPaymentEvents(types: ReadonlySet<EventType>, context: EventContext): Promise<EventEnvelope[] | null> {
  const { manager } = context;
  const payment = await manager.findOneBy(Payment, { orderId: context.event.orderId });
  if (!payment) return null;
  const { paymentId } = payment;
  const currency = payment.currency ?? 'XXX';
  const events: EventEnvelope[] = [];
  if (types.has('PaymentAuthorized') && payment.authorizedAt) {
    events.push(context.envelope('PaymentAuthorized', { paymentId, amountMinor: payment.authorizedMinor, currency }));
  }
  if (types.has('PaymentDeclined') && payment.declinedAt) {
    events.push(context.envelope('PaymentDeclined', { paymentId, reason: payment.declineReason ?? 'declined' }));
  }
  if (types.has('PaymentCaptured')) {
    for (const capture of await manager.find(PaymentCapture, { where: { paymentId }, order: { capturedAt: 'ASC' } })) {
      events.push(context.envelope('PaymentCaptured', { paymentId, shipmentId: capture.shipmentId, amountMinor: capture.amountMinor, currency }));
    }
  }
  if (types.has('PaymentVoided') && payment.voidedMinor > 0) {
    events.push(context.envelope('PaymentVoided', { paymentId, amountMinor: payment.voidedMinor, currency }));
  }
  if (types.has('PaymentRefunded')) {
    for (const refund of await manager.find(PaymentRefund, { where: { paymentId }, order: { refundedAt: 'ASC' } })) {
      events.push(context.envelope('PaymentRefunded', { paymentId, amountMinor: refund.amountMinor, currency }));
    }
  }
  return events;
}
