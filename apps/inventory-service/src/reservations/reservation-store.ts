import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventType } from '@commerce/contracts';
import type { EventContext } from '@commerce/messaging';
import { Reservation, ReservationCommit, ReservationLine } from './reservation.entity';
import { type LineChange, RELEASE_REASONS, toEventLines } from './reservation-rules';

/** Reads and locks of reservations and their stock, always in the caller's transaction. */
@Injectable()
export class ReservationStore {
  /** The order's reservation, row-locked until the transaction ends. */
  lockReservation(manager: EntityManager, orderId: string): Promise<Reservation | null> {
    return manager.findOne(Reservation, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  linesOf(manager: EntityManager, reservationId: string): Promise<ReservationLine[]> {
    return manager.find(ReservationLine, { where: { reservationId }, order: { lineNo: 'ASC' } });
  }

  /** Locks the stock rows a change touches, in (sku, node) order like every other writer. */
  async lockStock(manager: EntityManager, changes: readonly LineChange[]): Promise<void> {
    const keys = toEventLines(changes);
    await manager.query(
      `SELECT 1 FROM stock_level
        WHERE (sku, node) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY sku, node FOR UPDATE`,
      [keys.map((key) => key.sku), keys.map((key) => key.node)],
    );
  }

  /**
   * The facts of the requested types this service has published about the order, rebuilt from
   * stored data (a repair emits them again); null when the order has no reservation.
   */
  async storedEvents(types: ReadonlySet<EventType>, context: EventContext): Promise<EventEnvelope[] | null> {
    const { manager } = context;
    const reservation = await manager.findOneBy(Reservation, { orderId: context.event.orderId });
    if (!reservation) return null;
    const lines = await this.linesOf(manager, reservation.reservationId);
    const { reservationId } = reservation;
    const events: EventEnvelope[] = [];
    for (const type of types) {
      if (type === 'InventoryReserved' && reservation.status !== 'REJECTED') {
        events.push(
          context.envelope('InventoryReserved', {
            reservationId,
            lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, node: line.node })),
            totalMinor: reservation.totalMinor,
            currency: reservation.currency,
          }),
        );
      }
      if (type === 'InventoryRejected' && reservation.rejection) {
        events.push(context.envelope('InventoryRejected', reservation.rejection));
      }
      if (type === 'InventoryReleased' && reservation.releasedAt) {
        const released = lines.filter((line) => line.releasedQuantity > 0);
        events.push(
          context.envelope('InventoryReleased', {
            reservationId,
            reason: reservation.releaseReason ?? RELEASE_REASONS.repair,
            lines: toEventLines(released.map((line) => ({ sku: line.sku, node: line.node, quantity: line.releasedQuantity }))),
          }),
        );
      }
      if (type === 'InventoryCommitted') {
        const commits = await manager.find(ReservationCommit, { where: { reservationId }, order: { committedAt: 'ASC' } });
        for (const commit of commits) {
          events.push(context.envelope('InventoryCommitted', { reservationId, shipmentId: commit.shipmentId, lines: commit.lines }));
        }
      }
    }
    return events;
  }
}
