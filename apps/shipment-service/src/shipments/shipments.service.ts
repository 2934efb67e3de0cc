import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type EventEnvelope, type EventPayloads, SERVICES } from '@commerce/contracts';
import { type EventContext, Outbox, PoisonMessageError, republishStoredEvents } from '@commerce/messaging';
import { createLogger, NotFoundError, observeStateTransition, workContext } from '@commerce/platform';
import { OrderFacts } from './order-facts.entity';
import { Shipment } from './shipment.entity';
import { planShipments, ReservationDoesNotMatchOrderError } from './shipment-plan';
import {
  ALREADY_DISPATCHED,
  cancellationOutcome,
  enteredCurrentState,
  readyToCreateShipments,
  ShipmentStateConflictError,
  WAREHOUSE_TRANSITIONS,
  type WarehouseAction,
} from './shipment-rules';
import { type ShipmentView, toShipmentView } from './shipment-view';

/** The database's clock for every timestamp, so /milestones?updatedSince has one clock to trust. */
const NOW = () => 'now()';

type ShipmentEventType = 'ShipmentCreated' | 'ShipmentDispatched' | 'ShipmentDelivered' | 'ShipmentCancelled' | 'ShipmentCancellationRefused';

/**
 * Shipments of an order: created once payment is authorized (one per warehouse node), moved by
 * the warehouse, cancelled or refused when the order is cancelled. Everything done for one order
 * first locks its `order_facts` row, so facts arriving concurrently on three topics, a
 * cancellation and a warehouse action never interleave.
 */
@Injectable()
export class ShipmentsService {
  private readonly log = createLogger('shipment-service');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

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
    const facts = await this.lockFacts(manager, event.orderId);
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
    const facts = await this.lockFacts(manager, event.orderId);
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
    const shipments = await this.shipmentsOf(manager, event.orderId, true);
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
        const shipments = await this.shipmentsOf(context.manager, event.orderId, false);
        return shipments.flatMap((shipment) =>
          publishedEventsOf(shipment)
            .filter(([type]) => types.has(type))
            .map(([type, payload]) => context.envelope(type, payload)),
        );
      },
    });
  }

  // ------------------------------------------------------------------ warehouse actions

  dispatch(shipmentId: string): Promise<ShipmentView> {
    return this.moveAndShow(shipmentId, 'dispatch');
  }

  deliver(shipmentId: string): Promise<ShipmentView> {
    return this.moveAndShow(shipmentId, 'deliver');
  }

  /** The warehouse's REST call: the move, then the shipment as it now is. */
  private async moveAndShow(shipmentId: string, action: WarehouseAction): Promise<ShipmentView> {
    await this.move(shipmentId, action);
    return this.get(shipmentId);
  }

  /**
   * One warehouse action in a transaction of its own (the auto-dispatch sweep calls it directly:
   * it needs no view). The order's facts row is locked first, then the shipment: the same lock
   * order as a cancellation, so no deadlock. The shipment's update moves the facts row's
   * `updated_at` itself (the order-row trigger).
   */
  move(shipmentId: string, action: WarehouseAction): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const [facts]: Array<{ correlation_id: string | null }> = await manager.query(
        `SELECT f.correlation_id FROM order_facts f
          WHERE f.order_id = (SELECT s.order_id FROM shipment s WHERE s.id = $1) FOR UPDATE OF f`,
        [shipmentId],
      );
      if (!facts) throw new NotFoundError('Shipment', shipmentId);
      const shipment = await manager.getRepository(Shipment).findOneOrFail({ where: { id: shipmentId }, lock: { mode: 'pessimistic_write' } });
      const { from, to } = WAREHOUSE_TRANSITIONS[action];
      if (shipment.status !== from) throw new ShipmentStateConflictError(shipmentId, action, shipment.status);

      // A warehouse action continues the order's flow: same correlationId, caused by the shipment's last event.
      const work = { correlationId: facts.correlation_id ?? randomUUID(), causationId: shipment.lastEventId, orderId: shipment.orderId };
      const emitted = await workContext.run(work, () =>
        action === 'dispatch'
          ? this.outbox.emit(manager, 'ShipmentDispatched', dispatchedPayload(shipment))
          : this.outbox.emit(manager, 'ShipmentDelivered', { shipmentId }),
      );
      const stamp = action === 'dispatch' ? 'dispatched_at' : 'delivered_at';
      const update = await manager
        .createQueryBuilder()
        .update(Shipment)
        .set({ status: to, [action === 'dispatch' ? 'dispatchedAt' : 'deliveredAt']: NOW, lastEventId: emitted.eventId, updatedAt: NOW })
        .where({ id: shipmentId })
        .returning(stamp)
        .execute();
      const leftAt = (update.raw as Array<Record<string, Date>>)[0]?.[stamp];
      if (leftAt) observeStateTransition({ machine: 'shipment', from, to, enteredAt: enteredCurrentState(shipment), leftAt });
      workContext.run(work, () => this.log.info({ shipmentId, node: shipment.node }, `shipment ${to.toLowerCase()}`));
    });
  }

  /** Shipments in a state since longer than `olderThanSeconds` (for the auto-dispatch sweep). */
  async dueFor(action: WarehouseAction, olderThanSeconds: number, limit: number): Promise<string[]> {
    const column = action === 'dispatch' ? 'created_at' : 'dispatched_at';
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM shipment WHERE status = $1 AND ${column} < now() - make_interval(secs => $2) ORDER BY ${column} LIMIT $3`,
      [WAREHOUSE_TRANSITIONS[action].from, olderThanSeconds, limit],
    );
    return rows.map((row) => row.id);
  }

  // ------------------------------------------------------------------ queries

  async get(shipmentId: string): Promise<ShipmentView> {
    const shipment = await this.dataSource.getRepository(Shipment).findOne({ where: { id: shipmentId } });
    if (!shipment) throw new NotFoundError('Shipment', shipmentId);
    return toShipmentView(shipment);
  }

  async listForOrder(orderId: string): Promise<ShipmentView[]> {
    return (await this.shipmentsOf(this.dataSource.manager, orderId, false)).map(toShipmentView);
  }

  // ------------------------------------------------------------------ helpers

  /** Locks the order's facts row, creating it if this is the first thing heard about the order. */
  private async lockFacts(manager: EntityManager, orderId: string): Promise<OrderFacts> {
    await manager.query('INSERT INTO order_facts (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [orderId]);
    return manager.getRepository(OrderFacts).findOneOrFail({ where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  private shipmentsOf(manager: EntityManager, orderId: string, lock: boolean): Promise<Shipment[]> {
    return manager.getRepository(Shipment).find({
      where: { orderId },
      order: { createdAt: 'ASC', node: 'ASC' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }
}

function dispatchedPayload(shipment: Shipment): EventPayloads['ShipmentDispatched'] {
  return { shipmentId: shipment.id, node: shipment.node, lines: shipment.lines, valueMinor: shipment.valueMinor, currency: shipment.currency };
}

/** The events this service has published about a shipment, as its state shows them. */
function publishedEventsOf(shipment: Shipment): Array<[ShipmentEventType, EventPayloads[ShipmentEventType]]> {
  const events: Array<[ShipmentEventType, EventPayloads[ShipmentEventType]]> = [
    ['ShipmentCreated', { shipmentId: shipment.id, node: shipment.node, lines: shipment.lines }],
  ];
  if (shipment.dispatchedAt) events.push(['ShipmentDispatched', dispatchedPayload(shipment)]);
  if (shipment.deliveredAt) events.push(['ShipmentDelivered', { shipmentId: shipment.id }]);
  if (shipment.cancelledAt) events.push(['ShipmentCancelled', { shipmentId: shipment.id, reason: shipment.cancellationReason ?? 'cancelled' }]);
  if (shipment.cancellationRefusedAt) {
    events.push(['ShipmentCancellationRefused', { shipmentId: shipment.id, reason: shipment.cancellationRefusedReason ?? ALREADY_DISPATCHED }]);
  }
  return events;
}
