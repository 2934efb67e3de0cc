import { Injectable } from '@nestjs/common';
import { type EventEnvelope, SERVICES } from '@commerce/contracts';
import { type EventContext, PoisonMessageError, republishStoredEvents } from '@commerce/messaging';
import { createLogger } from '@commerce/platform';
import { factOf } from './heard-facts';
import { cancellationRequestedEvent, orderPlacedEvent } from './order-events';
import { OrderStore } from './order-store';
import type { FactEventType } from './order-status';
import type { OrderEntity } from './order.entity';
import { OrderFactEntity } from './order-fact.entity';

/** The order side of the choreography: records what the other services report, and repairs. */
@Injectable()
export class OrderTrackingService {
  private readonly log = createLogger('order-service');

  constructor(private readonly store: OrderStore) {}

  /**
   * Records one fact about the order and stores the status the facts now give. A fact heard
   * again (a republished event carries a new eventId) is recorded once and changes nothing.
   * The status is stored first: that update marks the order changed, so the fact's insert does
   * not touch the order's row a second time (the order-row trigger skips a row already changed
   * in the transaction).
   */
  async recordFact(event: EventEnvelope<FactEventType>, context: EventContext): Promise<void> {
    const found = await this.store.lockWithFacts(context.manager, event.orderId);
    if (!found) throw unknownOrder(event);
    const { order, facts } = found;
    const fact = factOf(event);
    if (facts.some((known) => known.eventType === fact.event && known.ref === (fact.ref ?? ''))) {
      this.log.info({ type: event.type, ref: fact.ref }, 'fact already recorded; nothing changes');
      return;
    }
    const heard = Object.assign(new OrderFactEntity(), {
      orderId: order.id,
      eventType: fact.event,
      ref: fact.ref ?? '',
      eventId: event.eventId,
      occurredAt: new Date(fact.at),
      receivedAt: new Date(),
      amountMinor: fact.amountMinor ?? null,
      currency: fact.currency ?? null,
      detail: fact.detail ?? null,
    });
    await this.store.saveDerivedStatus(context.manager, order, withFact(facts, heard));
    await context.manager.query(
      `INSERT INTO order_fact (order_id, event_type, ref, event_id, occurred_at, amount_minor, currency, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [order.id, fact.event, heard.ref, event.eventId, fact.at, heard.amountMinor, heard.currency, fact.detail ? JSON.stringify(fact.detail) : null],
    );
  }

  /**
   * Re-emits, as new events built from the stored order, the order-service events the command
   * names: OrderPlaced, followed by OrderCancellationRequested when the cancellation was asked for
   * (a consumer that missed the order must also learn it is being cancelled). They keep the
   * order's own correlationId. An unknown order can never be republished: poison.
   */
  async republishEvents(command: EventEnvelope<'RepublishEventsRequested'>, context: EventContext): Promise<void> {
    await republishStoredEvents(command, context, {
      producer: SERVICES.order,
      storedEvents: async (requested) => {
        const order = await this.knownOrder(command, context);
        const events: EventEnvelope[] = [];
        if (requested.has('OrderPlaced')) events.push(orderPlacedEvent(order, command.eventId));
        if (order.cancellationRequestedAt !== null && (requested.has('OrderPlaced') || requested.has('OrderCancellationRequested'))) {
          events.push(cancellationRequestedEvent(order, command.eventId));
        }
        return events;
      },
    });
  }

  /** The order the message is about, row-locked; a message about an unknown order can never succeed. */
  private async knownOrder(event: EventEnvelope, context: EventContext): Promise<OrderEntity> {
    const order = await this.store.lock(context.manager, event.orderId);
    if (!order) throw unknownOrder(event);
    return order;
  }
}

/** A message about an order this service does not know can never succeed. */
function unknownOrder(event: EventEnvelope): PoisonMessageError {
  return new PoisonMessageError(`${event.type} ${event.eventId} is about order ${event.orderId}, which the order service does not know`);
}

/** The facts with one more, in the order `facts()` reads them (by time, the newest last among equals). */
function withFact(facts: readonly OrderFactEntity[], fact: OrderFactEntity): OrderFactEntity[] {
  const at = fact.occurredAt.getTime();
  const index = facts.findIndex((known) => known.occurredAt.getTime() > at);
  return index < 0 ? [...facts, fact] : [...facts.slice(0, index), fact, ...facts.slice(index)];
}
