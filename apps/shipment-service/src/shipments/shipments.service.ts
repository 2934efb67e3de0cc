import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Outbox } from '@commerce/messaging';
import { createLogger, NotFoundError, observeStateTransition, workContext } from '@commerce/platform';
import { Shipment } from './shipment.entity';
import { dispatchedPayload } from './shipment-events';
import { enteredCurrentState, ShipmentStateConflictError, WAREHOUSE_TRANSITIONS, type WarehouseAction } from './shipment-rules';
import { NOW, ShipmentStore } from './shipment-store';
import { type ShipmentView, toShipmentView } from './shipment-view';

/**
 * The warehouse and REST side: shipments moved by the warehouse (REST, or the auto-dispatch
 * sweep), and read. The event side is ShipmentTrackingService.
 */
@Injectable()
export class ShipmentsService {
  private readonly log = createLogger('shipment-service');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly store: ShipmentStore,
  ) {}

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
    return (await this.store.shipmentsOf(this.dataSource.manager, orderId, false)).map(toShipmentView);
  }
}
