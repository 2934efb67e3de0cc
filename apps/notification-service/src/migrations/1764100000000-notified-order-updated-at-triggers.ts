import { orderRowTriggers, OrderRowTriggersMigration } from '@commerce/platform';

/**
 * GET /milestones?updatedSince= finds changed orders by notified_order.updated_at. Triggers move
 * it on every change of the row and of an order's notifications (a notification with no
 * notified_order row yet creates it: there is no foreign key), including hand edits behind the
 * service's back, so the reconciliation service's incremental scan sees them (libs/platform
 * order-row-triggers.ts).
 */
export class NotifiedOrderUpdatedAtTriggers1764100000000 extends OrderRowTriggersMigration {
  name = 'NotifiedOrderUpdatedAtTriggers1764100000000';
  protected triggers = orderRowTriggers({ table: 'notified_order', key: 'order_id', createMissing: true }, [{ table: 'notification', column: 'order_id' }]);
}
