import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import { decodeCursor, encodeCursor, InvalidInputError } from '@commerce/platform';
import { notificationFacts, notificationMilestones, notificationStatus } from '../notifications/notification-rules';
import { NotificationEntity } from '../notifications/notification.entity';
import { notificationRecord } from '../notifications/notification-view';
import { MAX_ORDER_IDS, type MilestonesQuery } from './milestones.query';

/** The notification service's own account of each order it notified about, for the reconciliation service. */
@Injectable()
export class MilestonesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(query: MilestonesQuery): Promise<MilestonesPage> {
    if (query.orderIds !== undefined) return this.byOrderIds(query.orderIds);
    if (query.updatedSince !== undefined) return this.updatedSince(query.updatedSince, query.cursor, query.limit ?? 500);
    throw new InvalidInputError([{ field: 'orderIds', message: 'either orderIds or updatedSince is required' }]);
  }

  private async byOrderIds(list: string): Promise<MilestonesPage> {
    const orderIds = [...new Set(list.split(',').map((id) => id.trim()).filter(Boolean))];
    if (orderIds.length > MAX_ORDER_IDS) {
      throw new InvalidInputError([{ field: 'orderIds', message: `at most ${MAX_ORDER_IDS} ids per request` }]);
    }
    return { service: SERVICES.notification, items: await this.items(orderIds), nextCursor: null };
  }

  /** Keyset-paged on (updatedAt, orderId); the cursor keeps updatedAt to the microsecond. */
  private async updatedSince(since: string, cursor: string | undefined, limit: number): Promise<MilestonesPage> {
    const params: unknown[] = [since, limit + 1];
    let after = '';
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      params.push(position.at, position.id);
      after = 'AND (updated_at, order_id) > ($3::timestamptz, $4::text)';
    }
    const rows: Array<{ order_id: string; position: string }> = await this.dataSource.query(
      `SELECT order_id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM notified_order
        WHERE updated_at >= $1::timestamptz ${after}
        ORDER BY updated_at, order_id
        LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      service: SERVICES.notification,
      items: await this.items(page.map((row) => row.order_id)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position, id: last.order_id }) : null,
    };
  }

  /** One snapshot for all of them, so an order's change time and its notifications agree. */
  private items(orderIds: string[]): Promise<OrderMilestones[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [orders, notifications] = await Promise.all([
        manager.query(`SELECT order_id, updated_at FROM notified_order WHERE order_id = ANY($1::text[])`, [orderIds]) as Promise<
          Array<{ order_id: string; updated_at: Date }>
        >,
        manager.getRepository(NotificationEntity).find({ where: { orderId: In(orderIds) }, order: { createdAt: 'ASC' } }),
      ]);
      const updatedAt = new Map(orders.map((row) => [row.order_id, row.updated_at]));
      return orderIds.flatMap((orderId) => {
        const at = updatedAt.get(orderId);
        if (!at) return [];
        const records = notifications.filter((n) => n.orderId === orderId).map(notificationRecord);
        return [
          {
            orderId,
            status: notificationStatus(records),
            updatedAt: at.toISOString(),
            milestones: notificationMilestones(records),
            facts: notificationFacts(records),
          },
        ];
      });
    });
  }
}
