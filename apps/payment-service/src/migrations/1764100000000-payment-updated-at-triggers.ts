import type { MigrationInterface, QueryRunner } from 'typeorm';
import { orderRowTriggers } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by payment.updated_at. Triggers move it on
 * every change of the row and of a payment's captures and refunds, including hand edits behind the service's back, so the
 * reconciliation service's incremental scan sees them (libs/platform order-row-triggers.ts).
 */
const TRIGGERS = orderRowTriggers({ table: 'payment', key: 'payment_id' }, [
  { table: 'payment_capture', column: 'payment_id' },
  { table: 'payment_refund', column: 'payment_id' },
]);

export class PaymentUpdatedAtTriggers1764100000000 implements MigrationInterface {
  name = 'PaymentUpdatedAtTriggers1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.up) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of TRIGGERS.down) await q.query(statement);
  }
}
