import type { MigrationInterface, QueryRunner } from 'typeorm';
import { orderRowTriggers } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by order_facts.updated_at. Triggers move it on
 * every change of the row and of an order's shipments, including hand edits behind the service's back, so the
 * reconciliation service's incremental scan sees them (libs/platform order-row-triggers.ts).
 */
const TRIGGERS = orderRowTriggers({ table: 'order_facts', key: 'order_id' }, [{ table: 'shipment', column: 'order_id' }]);

export class OrderFactsUpdatedAtTriggers1764100000000 implements MigrationInterface {
  name = 'OrderFactsUpdatedAtTriggers1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.down) await q.query(statement);
  }
}
