import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import { decodeCursor, encodeCursor, InvalidInputError } from '@commerce/platform';
import type { OrderFactEntity } from '../orders/order-fact.entity';
import { isUuid, OrderStore } from '../orders/order-store';
import type { OrderEntity } from '../orders/order.entity';
import { milestoneInputs } from '../orders/order-view';
import { orderMilestones } from '../orders/order-status';
import { MAX_ORDER_IDS, type MilestonesQuery } from './milestones.query';

/** The order service's own account of each order, for the reconciliation service. */
export function toOrderMilestones(order: OrderEntity, facts: readonly OrderFactEntity[]): OrderMilestones {
  return {
    orderId: order.id,
    status: order.status,
    updatedAt: order.updatedAt.toISOString(),
    milestones: orderMilestones(milestoneInputs(order, facts)),
    facts: {
      totalMinor: order.totalMinor,
      currency: order.currency,
      units: order.units,
      lines: order.lines.length,
      cancellationRequested: order.cancellationRequestedAt !== null,
    },
  };
}

@Injectable()
export class MilestonesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: OrderStore,
  ) {}

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
    return { service: SERVICES.order, items: await this.items(orderIds), nextCursor: null };
  }

  /** Keyset-paged on (updatedAt, orderId); the cursor keeps updatedAt to the microsecond. */
  private async updatedSince(since: string, cursor: string | undefined, limit: number): Promise<MilestonesPage> {
    const params: unknown[] = [since, limit + 1];
    let after = '';
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!isUuid(position.id)) throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
      params.push(position.at, position.id);
      after = 'AND (updated_at, id) > ($3::timestamptz, $4::uuid)';
    }
    const rows: Array<{ id: string; position: string }> = await this.dataSource.query(
      `SELECT id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM customer_order
        WHERE updated_at >= $1::timestamptz ${after}
        ORDER BY updated_at, id
        LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      service: SERVICES.order,
      items: await this.items(page.map((row) => row.id)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position, id: last.id }) : null,
    };
  }

  /** One snapshot for all of them, so an order and its facts agree. */
  private items(orderIds: string[]): Promise<OrderMilestones[]> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) =>
      (await this.store.withFacts(manager, orderIds)).map(({ order, facts }) => toOrderMilestones(order, facts)),
    );
  }
}
