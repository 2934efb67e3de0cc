import { orderRowTriggers, OrderRowTriggersMigration } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by customer_order.updated_at. Triggers move
 * it on every change of the row and of an order's facts (order_fact), including hand edits behind
 * the service's back, so the reconciliation service's incremental scan sees them (libs/platform
 * order-row-triggers.ts).
 */
export class OrderUpdatedAtTriggers1764100000000 extends OrderRowTriggersMigration {
  name = 'OrderUpdatedAtTriggers1764100000000';
  protected triggers = orderRowTriggers({ table: 'customer_order', key: 'id' }, [{ table: 'order_fact', column: 'order_id' }]);
}
