import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EventEnvelope, SERVICES } from '@commerce/contracts';
import { type EventContext, PoisonMessageError, republishStoredEvents } from '@commerce/messaging';
import { createLogger, observeStateTransition } from '@commerce/platform';
import { OrderFacts } from './order-facts.entity';
import { Shipment } from './shipment.entity';
import { publishedEventsOf } from './shipment-events';
import { planShipments, ReservationDoesNotMatchOrderError } from './shipment-plan';
import { ALREADY_DISPATCHED, cancellationOutcome, enteredCurrentState, readyToCreateShipments } from './shipment-rules';
import { NOW, ShipmentStore } from './shipment-store';

/**
 * The shipment side of the choreography: shipments of an order created once payment is authorized
 * (one per warehouse node), cancelled or refused when the order is cancelled, and repairs; the
 * warehouse moves them (ShipmentsService). Everything done for one order first locks its
 * `order_facts` row, so facts arriving concurrently on three topics, a cancellation and a
 * warehouse action never interleave.
 */
@Injectable()
export class ShipmentTrackingService {
  private readonly log = createLogger('shipment-service');

  constructor(private readonly store: ShipmentStore) {}

  // ------------------------------------------------------------------ the three facts

  recordOrderPlaced(event: EventEnvelope<'OrderPlaced'>, context: EventContext): Promise<void> {
    const { lines, shippingAddress, currency } = event.payload;
    return this.recordFact(event, context, 'orderPlacedAt', { orderLines: lines, shippingAddress, currency });
  }

  recordInventoryReserved(event: EventEnvelope<'InventoryReserved'>, context: EventContext): Promise<void> {
    const { reservationId, lines } = event.payload;
    return this.recordFact(event, context, 'inventoryReservedAt', { reservationId, reservedLines: lines });
  }

  recordPaymentAuthorized(event: EventEnvelope<'PaymentAuthorized'>, context: EventContext): Promise<void> {
    const { paymentId, amountMinor } = event.payload;
    return this.recordFact(event, context, 'paymentAuthorizedAt', { paymentId, authorizedMinor: amountMinor });
  }

  /**
   * Stores one fact (the first copy wins: a republished event changes nothing), then creates the
   * shipments if this was the last fact missing.
   */
  private async recordFact(
    event: EventEnvelope,
    context: EventContext,
    knownAt: 'orderPlacedAt' | 'inventoryReservedAt' | 'paymentAuthorizedAt',
    fact: Partial<OrderFacts>,
  ): Promise<void> {
    const manager = context.manager;
    const facts = await this.store.lockFacts(manager, event.orderId);
    if (facts[knownAt] === null) {
      const correlationId = facts.correlationId ?? event.correlationId;
      await manager.update(OrderFacts, { orderId: event.orderId }, { ...fact, correlationId, [knownAt]: NOW, updatedAt: NOW });
      // The stored time is the database's; here it only has to be known.
      Object.assign(facts, fact, { correlationId, [knownAt]: new Date() });
    }
    await this.createShipmentsIfReady(facts, context);
  }

  private async createShipmentsIfReady(facts: OrderFacts, context: EventContext): Promise<void> {
    if (!readyToCreateShipments(facts)) return;
    const { orderLines, reservedLines, currency, shippingAddress } = facts;
    if (!orderLines || !reservedLines || !currency || !shippingAddress) throw new Error(`facts of order ${facts.orderId} are incomplete`);
    let plan;
    try {
      plan = planShipments(orderLines, reservedLines);
    } catch (error) {
      // Retrying cannot make the reservation match the order: park the message for a person.
      if (error instanceof ReservationDoesNotMatchOrderError) throw new PoisonMessageError(error.message);
      throw error;
    }
    const manager = context.manager;
    for (const planned of plan) {
      const shipmentId = `shp_${randomUUID()}`;
      const created = await context.emit('ShipmentCreated', { shipmentId, node: planned.node, lines: planned.lines });
      await manager.insert(Shipment, {
        id: shipmentId,
        orderId: facts.orderId,
        node: planned.node,
        status: 'CREATED',
        lines: planned.lines,
        valueMinor: planned.valueMinor,
        currency,
        shippingAddress,
        lastEventId: created.eventId,
      });
    }
    await manager.update(OrderFacts, { orderId: facts.orderId }, { shipmentsCreatedAt: NOW, updatedAt: NOW });
    this.log.info({ shipments: plan.map((p) => p.node) }, `created ${plan.length} shipment(s)`);
  }

  // ------------------------------------------------------------------ cancellation

  /**
   * Cancels what has not left the warehouse and refuses (visibly) for what has. Before any
   * shipment exists, the cancellation is recorded so that none will be created.
   */
  async cancelForOrder(event: EventEnvelope<'OrderCancellationRequested'>, context: EventContext): Promise<void> {
    const manager = context.manager;
    const facts = await this.store.lockFacts(manager, event.orderId);
    if (facts.cancellationRequestedAt !== null) return; // handled already; a second request changes nothing
    await manager.update(
      OrderFacts,
      { orderId: event.orderId },
      {
        cancellationRequestedAt: NOW,
        cancellationReason: event.payload.reason,
        correlationId: facts.correlationId ?? event.correlationId,
        updatedAt: NOW,
      },
    );
    const shipments = await this.store.shipmentsOf(manager, event.orderId, true);
    for (const shipment of shipments) {
      const outcome = cancellationOutcome(shipment);
      if (outcome === 'cancel') {
        const cancelled = await context.emit('ShipmentCancelled', { shipmentId: shipment.id, reason: event.payload.reason });
        const update = await manager
          .createQueryBuilder()
          .update(Shipment)
          .set({ status: 'CANCELLED', cancelledAt: NOW, cancellationReason: event.payload.reason, lastEventId: cancelled.eventId, updatedAt: NOW })
          .where({ id: shipment.id })
          .returning('cancelled_at')
          .execute();
        const leftAt = (update.raw as Array<{ cancelled_at: Date }>)[0]?.cancelled_at;
        if (leftAt) observeStateTransition({ machine: 'shipment', from: shipment.status, to: 'CANCELLED', enteredAt: enteredCurrentState(shipment), leftAt });
      } else if (outcome === 'refuse') {
        const refused = await context.emit('ShipmentCancellationRefused', { shipmentId: shipment.id, reason: ALREADY_DISPATCHED });
        await manager.update(
          Shipment,
          { id: shipment.id },
          { cancellationRefusedAt: NOW, cancellationRefusedReason: ALREADY_DISPATCHED, lastEventId: refused.eventId, updatedAt: NOW },
        );
      }
    }
    this.log.info({ shipments: shipments.map((s) => [s.id, cancellationOutcome(s)]) }, 'order cancellation applied');
  }

  // ------------------------------------------------------------------ repair

  /**
   * Re-emits, as new events, the facts this service already published for the order, rebuilt
   * from its current state (outbox rows are pruned after a while; the state is not).
   * Only the requested types this service produces are considered.
   */
  async republishForOrder(event: EventEnvelope<'RepublishEventsRequested'>, context: EventContext): Promise<void> {
    await republishStoredEvents(event, context, {
      producer: SERVICES.shipment,
      storedEvents: async (types) => {
        const shipments = await this.store.shipmentsOf(context.manager, event.orderId, false);
        return shipments.flatMap((shipment) =>
          publishedEventsOf(shipment)
            .filter(([type]) => types.has(type))
            .map(([type, payload]) => context.envelope(type, payload)),
        );
      },
    });
  }
}
