import { orderRowTriggers, OrderRowTriggersMigration } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by reservation.updated_at. Triggers move it
 * on every change of the row and of a reservation's lines and commits, including hand edits behind
 * the service's back, so the reconciliation service's incremental scan sees them (libs/platform
 * order-row-triggers.ts).
 */
export class ReservationUpdatedAtTriggers1764100000000 extends OrderRowTriggersMigration {
  name = 'ReservationUpdatedAtTriggers1764100000000';
  protected triggers = orderRowTriggers({ table: 'reservation', key: 'reservation_id' }, [
    { table: 'reservation_line', column: 'reservation_id' },
    { table: 'reservation_commit', column: 'reservation_id' },
  ]);
}
