import { Injectable, type StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import {
  encodeCursor,
  groupBy,
  type KeysetPage,
  keysetPage,
  keysetTimestampSql,
  type LiveMilestonesSelection,
  MilestoneDocuments,
  type MilestonesSelection,
  type Queryable,
} from '@commerce/platform';
import { notificationFacts, notificationMilestones, notificationStatus } from '../notifications/notification-rules';
import { notificationRecord, type NotificationRecordSource } from '../notifications/notification-view';

/** An order's change time; `position` keeps it to the microsecond for the updatedSince cursor. */
interface NotifiedOrderRow {
  order_id: string;
  updated_at: Date;
  position: string;
}

const SELECT_ORDERS = `SELECT order_id, updated_at, ${keysetTimestampSql('updated_at')} AS position FROM notified_order`;

/** The notification service's own account of each order it notified about, for the reconciliation service. */
@Injectable()
export class MilestonesService {
  /**
   * The full scan's range mode reads these (index notified_order_by_order_id: order_id in byte
   * order); the documents' refresher derives them in a snapshot of its own.
   */
  readonly documents = new MilestoneDocuments<OrderMilestones>({
    table: 'notified_order',
    orderIdColumn: 'order_id',
    derive: (db, orderIds) => this.forOrders(db, orderIds),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /milestones as JSON text: the range and orderIds modes from the documents, updatedSince derived live. */
  pageJson(selection: MilestonesSelection): Promise<StreamableFile> {
    return this.documents.answer(this.dataSource, SERVICES.notification, selection, (live) => this.page(live));
  }

  /** One snapshot per page, so an order's change time and its notifications agree. */
  page(selection: LiveMilestonesSelection): Promise<MilestonesPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => this.pageOf(manager, await this.changedSince(manager, selection)));
  }

  /** These orders, in the order asked for (run in a snapshot: the order rows and notifications must agree). */
  private async forOrders(db: Queryable, orderIds: string[]): Promise<OrderMilestones[]> {
    const rows = (await db.query(`${SELECT_ORDERS} WHERE order_id = ANY($1::text[])`, [orderIds])) as NotifiedOrderRow[];
    const byId = new Map(rows.map((row) => [row.order_id, row]));
    return this.items(db, orderIds.flatMap((orderId) => byId.get(orderId) ?? []));
  }

  private async pageOf(manager: EntityManager, { rows, nextCursor }: KeysetPage<NotifiedOrderRow>): Promise<MilestonesPage> {
    return { service: SERVICES.notification, items: await this.items(manager, rows), nextCursor };
  }

  /** Keyset-paged on (updatedAt, orderId); the cursor keeps updatedAt to the microsecond. */
  private async changedSince(manager: EntityManager, { updatedSince, after, limit }: Extract<MilestonesSelection, { kind: 'changes' }>) {
    const rows: NotifiedOrderRow[] = await manager.query(
      `${SELECT_ORDERS}
        WHERE updated_at >= $1::timestamptz ${after ? 'AND (updated_at, order_id) > ($3::timestamptz, $4::text)' : ''}
        ORDER BY updated_at, order_id
        LIMIT $2`,
      after ? [updatedSince, limit + 1, after.at, after.id] : [updatedSince, limit + 1],
    );
    return keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.order_id }));
  }

  private async items(db: Queryable, orders: NotifiedOrderRow[]): Promise<OrderMilestones[]> {
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
}
