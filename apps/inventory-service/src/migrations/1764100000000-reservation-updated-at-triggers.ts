import type { MigrationInterface, QueryRunner } from 'typeorm';
import { orderRowTriggers } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by reservation.updated_at. Triggers move it on
 * every change of the row and of a reservation's lines and commits, including hand edits behind the service's back, so the
 * reconciliation service's incremental scan sees them (libs/platform order-row-triggers.ts).
 */
const TRIGGERS = orderRowTriggers({ table: 'reservation', key: 'reservation_id' }, [
  { table: 'reservation_line', column: 'reservation_id' },
  { table: 'reservation_commit', column: 'reservation_id' },
]);

export class ReservationUpdatedAtTriggers1764100000000 implements MigrationInterface {
  name = 'ReservationUpdatedAtTriggers1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.down) await q.query(statement);
  }
}
