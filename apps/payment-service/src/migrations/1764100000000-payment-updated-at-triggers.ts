import { orderRowTriggers, OrderRowTriggersMigration } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by payment.updated_at. Triggers move it on
 * every change of the row and of a payment's captures and refunds, including hand edits behind the
 * service's back, so the reconciliation service's incremental scan sees them (libs/platform
 * order-row-triggers.ts).
 */
export class PaymentUpdatedAtTriggers1764100000000 extends OrderRowTriggersMigration {
  name = 'PaymentUpdatedAtTriggers1764100000000';
  protected triggers = orderRowTriggers({ table: 'payment', key: 'payment_id' }, [
    { table: 'payment_capture', column: 'payment_id' },
    { table: 'payment_refund', column: 'payment_id' },
  ]);
}
