import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { decodeCursor, encodeCursor, InvalidInputError, isUuid, keysetPage, keysetTimestampSql, NotFoundError } from '@commerce/platform';
import type { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationEntity } from './notification.entity';
import { notificationView, type NotificationView } from './notification-view';

export interface NotificationsPage {
  items: NotificationView[];
  nextCursor: string | null;
}

/** The read side of REST: notifications as recorded. */
@Injectable()
export class NotificationsQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string): Promise<NotificationView> {
    if (!isUuid(id)) throw new InvalidInputError([{ field: 'id', message: 'must be a UUID' }]);
    const notification = await this.dataSource.getRepository(NotificationEntity).findOneBy({ id });
    if (!notification) throw new NotFoundError('Notification', id);
    return notificationView(notification);
  }

  /** Newest first, keyset-paged on (createdAt, id). */
  async list(query: ListNotificationsQuery): Promise<NotificationsPage> {
    const limit = query.limit ?? 50;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.orderId) where.push(`order_id = ${param(query.orderId)}`);
    if (query.kind) where.push(`kind = ${param(query.kind)}`);
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.cursor) {
      const position = decodeCursor(query.cursor);
      if (!isUuid(position.id)) throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
      where.push(`(created_at, id) < (${param(position.at)}::timestamptz, ${param(position.id)}::uuid)`);
    }
    const rows: Array<{ id: string; position: string }> = await this.dataSource.query(
      `SELECT id, ${keysetTimestampSql('created_at')} AS position
         FROM notification
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.id }));
    const found = await this.dataSource.getRepository(NotificationEntity).findBy({ id: In(page.rows.map((row) => row.id)) });
    const byId = new Map(found.map((n) => [n.id, n]));
    return {
      items: page.rows.flatMap((row) => {
        const n = byId.get(row.id);
        return n ? [notificationView(n)] : [];
      }),
      nextCursor: page.nextCursor,
    };
  }
}
