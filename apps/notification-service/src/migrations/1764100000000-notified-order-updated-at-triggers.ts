import type { MigrationInterface, QueryRunner } from 'typeorm';
import { orderRowTriggers } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by notified_order.updated_at. Triggers move it on
 * every change of the row and of an order's notifications (a notification with no notified_order row yet creates it: there is no foreign key), including hand edits behind the service's back, so the
 * reconciliation service's incremental scan sees them (libs/platform order-row-triggers.ts).
 */
const TRIGGERS = orderRowTriggers({ table: 'notified_order', key: 'order_id', createMissing: true }, [{ table: 'notification', column: 'order_id' }]);

export class NotifiedOrderUpdatedAtTriggers1764100000000 implements MigrationInterface {
  name = 'NotifiedOrderUpdatedAtTriggers1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.down) await q.query(statement);
  }
}
