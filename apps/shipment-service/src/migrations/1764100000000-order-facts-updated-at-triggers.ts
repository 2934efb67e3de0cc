import { orderRowTriggers, OrderRowTriggersMigration } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by order_facts.updated_at. Triggers move it
 * on every change of the row and of an order's shipments, including hand edits behind the
 * service's back, so the reconciliation service's incremental scan sees them (libs/platform
 * order-row-triggers.ts).
 */
export class OrderFactsUpdatedAtTriggers1764100000000 extends OrderRowTriggersMigration {
  name = 'OrderFactsUpdatedAtTriggers1764100000000';
  protected triggers = orderRowTriggers({ table: 'order_facts', key: 'order_id' }, [{ table: 'shipment', column: 'order_id' }]);
}
