import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EventEnvelope, SERVICES } from '@commerce/contracts';
import { type EventContext, republishStoredEvents } from '@commerce/messaging';
import { createLogger, observeStateTransition } from '@commerce/platform';
import { allocateLines } from './allocation';
import { Reservation, ReservationCommit } from './reservation.entity';
import { planCommit, planRelease, type ReservationStatus, statusOf, toEventLines, withChanges } from './reservation-rules';
import { ReservationStore } from './reservation-store';

interface LockedStockRow {
  sku: string;
  node: string;
  on_hand: number;
  reserved: number;
}

/** A commit that leaves the status as it was (one more partial commit) keeps its entry time. */
const STATUS_ENTERED_AT = 'status_entered_at = CASE WHEN status IS DISTINCT FROM $2 THEN now() ELSE status_entered_at END';

/** Time spent in the status the reservation leaves, from the row as locked and the update's RETURNING. */
function observeTransition(reservation: Reservation, to: ReservationStatus, updated: Array<{ status_entered_at: Date }>): void {
  const leftAt = updated[0]?.status_entered_at;
  if (leftAt) observeStateTransition({ machine: 'reservation', from: reservation.status, to, enteredAt: reservation.statusEnteredAt, leftAt });
}

/** The inventory side of the choreography: reserves, releases and commits stock as the other services speak, and repairs. */
@Injectable()
export class ReservationTrackingService {
  private readonly log = createLogger('inventory-service');

  constructor(private readonly store: ReservationStore) {}

  /**
   * OrderPlaced → every line reserved (InventoryReserved) or nothing (InventoryRejected).
   * The stock rows are locked in (sku, node) order for the whole decision, so two orders
   * racing for the last unit serialize and exactly one gets it.
   */
  async reserveStock(event: EventEnvelope<'OrderPlaced'>, context: EventContext): Promise<void> {
    const { manager } = context;
    const { orderId, payload } = event;
    if (await manager.existsBy(Reservation, { orderId })) {
      this.log.info('order already has an inventory decision; nothing to do');
      return;
    }

    const skus = [...new Set(payload.lines.map((line) => line.sku))];
    const stock: LockedStockRow[] = await manager.query(
      `SELECT sku, node, on_hand, reserved FROM stock_level
        WHERE sku = ANY($1::text[]) ORDER BY sku, node FOR UPDATE`,
      [skus],
    );
    const allocation = allocateLines(
      payload.lines,
      stock.map((row) => ({ sku: row.sku, node: row.node, available: row.on_hand - row.reserved })),
    );

    const reservationId = randomUUID();
    const rejection = allocation.outcome === 'rejected' ? { reason: allocation.reason, unavailable: allocation.unavailable } : null;
    // A copy of this event under another eventId (a republish) may be deciding right now: the
    // unique orderId makes the second one wait here and then do nothing.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO reservation (reservation_id, order_id, status, total_minor, currency, requested_units, rejection)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (order_id) DO NOTHING RETURNING reservation_id`,
      [
        reservationId,
        orderId,
        allocation.outcome === 'reserved' ? 'RESERVED' : 'REJECTED',
        payload.totalMinor,
        payload.currency,
        payload.lines.reduce((sum, line) => sum + line.quantity, 0),
        rejection === null ? null : JSON.stringify(rejection),
      ],
    );
    if (inserted.length === 0) {
      this.log.info('a concurrent copy of OrderPlaced decided first; nothing to do');
      return;
    }

    if (allocation.outcome === 'rejected') {
      this.log.info({ unavailable: allocation.unavailable }, 'order rejected: insufficient stock');
      await context.emit('InventoryRejected', { reason: allocation.reason, unavailable: allocation.unavailable });
      return;
    }

    for (const [lineNo, line] of allocation.lines.entries()) {
      await manager.query(
        'INSERT INTO reservation_line (reservation_id, line_no, sku, node, quantity) VALUES ($1, $2, $3, $4, $5)',
        [reservationId, lineNo, line.sku, line.node, line.quantity],
      );
    }
    for (const line of toEventLines(allocation.lines)) {
      await manager.query(
        'UPDATE stock_level SET reserved = reserved + $3, updated_at = now() WHERE sku = $1 AND node = $2',
        [line.sku, line.node, line.quantity],
      );
    }
    this.log.info({ reservationId, lines: allocation.lines }, 'order reserved');
    await context.emit('InventoryReserved', {
      reservationId,
      lines: allocation.lines,
      totalMinor: payload.totalMinor,
      currency: payload.currency,
    });
  }

  /**
   * Releases what the order's reservation still holds (not what was committed). Does nothing
   * when there is no reservation, it holds nothing, or (for a repair naming one) it is another,
   * and answers why (a repair refuses with it); null when it released.
   */
  async releaseReservation(context: EventContext, reason: string, expectedReservationId?: string): Promise<string | null> {
    const { manager } = context;
    const reservation = await this.store.lockReservation(manager, context.event.orderId);
    if (!reservation) {
      this.log.warn({ reason }, 'no reservation to release for this order');
      return 'no reservation for this order';
    }
    if (expectedReservationId !== undefined && expectedReservationId !== reservation.reservationId) {
      this.log.warn({ expectedReservationId, reservationId: reservation.reservationId }, 'release names another reservation; ignored');
      return `the order's reservation is ${reservation.reservationId}, not ${expectedReservationId}`;
    }
    const lines = await this.store.linesOf(manager, reservation.reservationId);
    const plan = planRelease(reservation.status, lines);
    if (!plan.apply) {
      this.log.info({ reservationId: reservation.reservationId, why: plan.why }, 'nothing to release');
      return `nothing to release (${plan.why === 'nothing is held' ? `reservation ${reservation.reservationId} holds nothing` : `reservation ${reservation.reservationId} is ${reservation.status}`})`;
    }

    await this.store.lockStock(manager, plan.changes);
    for (const change of plan.changes) {
      await manager.query('UPDATE stock_level SET reserved = reserved - $3, updated_at = now() WHERE sku = $1 AND node = $2', [
        change.sku,
        change.node,
        change.quantity,
      ]);
      await manager.query(
        'UPDATE reservation_line SET released_quantity = released_quantity + $3 WHERE reservation_id = $1 AND line_no = $2',
        [reservation.reservationId, change.lineNo, change.quantity],
      );
    }
    const status = statusOf(withChanges(lines, plan.changes, 'release'));
    const [released] = await manager.query(
      `UPDATE reservation SET status = $2, release_reason = $3, released_at = now(), updated_at = now(), ${STATUS_ENTERED_AT}
        WHERE reservation_id = $1 RETURNING status_entered_at`,
      [reservation.reservationId, status, reason],
    );
    observeTransition(reservation, status, released);
    this.log.info({ reservationId: reservation.reservationId, reason, changes: plan.changes }, 'reservation released');
    await context.emit('InventoryReleased', {
      reservationId: reservation.reservationId,
      reason,
      lines: toEventLines(plan.changes),
    });
    return null;
  }

  /** ShipmentDispatched → the shipment's units leave the building: on-hand and reserved both drop. */
  async commitShipment(event: EventEnvelope<'ShipmentDispatched'>, context: EventContext): Promise<void> {
    const { manager } = context;
    const { shipmentId, node, lines: shipmentLines } = event.payload;
    const reservation = await this.store.lockReservation(manager, event.orderId);
    if (!reservation) {
      this.log.warn({ shipmentId }, 'shipment dispatched for an order without a reservation; nothing to commit');
      return;
    }
    const lines = await this.store.linesOf(manager, reservation.reservationId);
    const committed = await manager.find(ReservationCommit, {
      where: { reservationId: reservation.reservationId },
      select: { shipmentId: true },
    });
    const plan = planCommit(reservation.status, lines, { shipmentId, node, lines: shipmentLines }, new Set(committed.map((c) => c.shipmentId)));
    if (!plan.apply) {
      // A dispatch from a released reservation means goods left after a cancellation: the
      // reconciliation service reports it (cancelled-but-dispatched); stock is not touched.
      const log = reservation.status === 'RELEASED' ? this.log.warn.bind(this.log) : this.log.info.bind(this.log);
      log({ reservationId: reservation.reservationId, shipmentId, why: plan.why }, 'nothing to commit');
      return;
    }

    await this.store.lockStock(manager, plan.changes);
    for (const change of plan.changes) {
      await manager.query(
        `UPDATE stock_level SET on_hand = on_hand - $3, reserved = reserved - $3, updated_at = now()
          WHERE sku = $1 AND node = $2`,
        [change.sku, change.node, change.quantity],
      );
      await manager.query(
        'UPDATE reservation_line SET committed_quantity = committed_quantity + $3 WHERE reservation_id = $1 AND line_no = $2',
        [reservation.reservationId, change.lineNo, change.quantity],
      );
    }
    const eventLines = toEventLines(plan.changes);
    const units = plan.changes.reduce((sum, change) => sum + change.quantity, 0);
    await manager.query(
      'INSERT INTO reservation_commit (reservation_id, shipment_id, node, lines, units) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [reservation.reservationId, shipmentId, node, JSON.stringify(eventLines), units],
    );
    const status = statusOf(withChanges(lines, plan.changes, 'commit'));
    const [moved] = await manager.query(
      `UPDATE reservation SET status = $2, updated_at = now(), ${STATUS_ENTERED_AT} WHERE reservation_id = $1 RETURNING status_entered_at`,
      [reservation.reservationId, status],
    );
    observeTransition(reservation, status, moved);
    this.log.info({ reservationId: reservation.reservationId, shipmentId, units, status }, 'shipment committed');
    await context.emit('InventoryCommitted', { reservationId: reservation.reservationId, shipmentId, lines: eventLines });
  }

  /**
   * Repair: emits again, as new events, this service's facts of the requested types for the
   * order, rebuilt from stored data (the outbox is pruned, the reservation is not).
   */
  async republishEvents(event: EventEnvelope<'RepublishEventsRequested'>, context: EventContext): Promise<void> {
    await republishStoredEvents(event, context, { producer: SERVICES.inventory, storedEvents: (types) => this.store.storedEvents(types, context) });
  }
}
