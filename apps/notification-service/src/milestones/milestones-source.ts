import { type OrderMilestones, SERVICES } from '@commerce/contracts';
import { groupBy, type MilestonesSource, type Queryable } from '@commerce/milestones';
import { notificationFacts, notificationMilestones, notificationStatus } from '../notifications/notification-rules';
import { notificationRecord, type NotificationRecordSource } from '../notifications/notification-view';

/** These orders and their notifications, one query after the other on the connection given (the page's snapshot). */
async function deriveNotificationMilestones(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]> {
  const orders = (await db.query('SELECT order_id, updated_at FROM notified_order WHERE order_id = ANY($1::text[])', [orderIds])) as Array<{
    order_id: string;
    updated_at: Date;
  }>;
  if (orders.length === 0) return [];
  const notifications = (await db.query(
    `SELECT id, order_id AS "orderId", kind, status, channel, attempts, created_at AS "createdAt", sent_at AS "sentAt", updated_at AS "updatedAt"
       FROM notification WHERE order_id = ANY($1::text[]) ORDER BY created_at`,
    [orders.map((order) => order.order_id)],
  )) as Array<NotificationRecordSource & { orderId: string }>;
  const byOrder = groupBy(notifications, (notification) => notification.orderId);
  return orders.map((order) => {
    const records = (byOrder.get(order.order_id) ?? []).map(notificationRecord);
    return {
      orderId: order.order_id,
      status: notificationStatus(records),
      updatedAt: order.updated_at.toISOString(),
      milestones: notificationMilestones(records),
      facts: notificationFacts(records),
    };
  });
}

/** Notification's GET /milestones (libs/milestones): one notified_order row per order (index notified_order_by_order_id). */
export const milestonesSource: MilestonesSource = {
  service: SERVICES.notification,
  table: 'notified_order',
  orderIdColumn: 'order_id',
  derive: deriveNotificationMilestones,
  openApi: {
    summary: 'The notifications per order: status = the kind sent last, one milestone per notification',
    statuses: ['NONE', 'CONFIRMED', 'REJECTED', 'DISPATCHED', 'DELIVERED', 'CANCELLED'],
    facts: 'confirmed, rejected, dispatched, delivered, cancelled (whether each kind was sent)',
  },
};
