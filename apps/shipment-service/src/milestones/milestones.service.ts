import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { type MilestonesPage, type OrderMilestones, SERVICES } from '@commerce/contracts';
import { decodeCursor, encodeCursor, InvalidInputError } from '@commerce/platform';
import { OrderFacts, Shipment } from '../shipments/entities';
import { DEFAULT_PAGE, MAX_ORDER_IDS, type MilestonesQuery } from './milestones.query';
import { toOrderMilestones } from './order-milestones';

@Injectable()
export class MilestonesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Either the given orders, or the orders changed since an instant, keyset-paged. */
  async find(query: MilestonesQuery): Promise<MilestonesPage> {
    if (query.orderIds !== undefined) {
      if (query.updatedSince !== undefined || query.cursor !== undefined) {
        throw new InvalidInputError([{ field: 'orderIds', message: 'give either orderIds or updatedSince (with cursor), not both' }]);
      }
      return { service: SERVICES.shipment, items: await this.forOrders(parseOrderIds(query.orderIds)), nextCursor: null };
    }
    if (query.updatedSince === undefined && query.cursor === undefined) {
      throw new InvalidInputError([{ field: 'updatedSince', message: 'give orderIds or updatedSince' }]);
    }
    return this.changedSince(query.updatedSince ?? new Date(0).toISOString(), query.cursor, query.limit ?? DEFAULT_PAGE);
  }

  private async forOrders(orderIds: string[]): Promise<OrderMilestones[]> {
    if (orderIds.length === 0) return [];
    const facts = await this.dataSource.getRepository(OrderFacts).find({ where: { orderId: In(orderIds) }, order: { orderId: 'ASC' } });
    return this.withShipments(facts);
  }

  private async changedSince(since: string, cursor: string | undefined, limit: number): Promise<MilestonesPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    // The position is kept to the microsecond (what Postgres stores), so no change is skipped
    // between pages when several share a millisecond.
    const rows: Array<{ order_id: string; position: string }> = await this.dataSource.query(
      `SELECT order_id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM order_facts
        WHERE updated_at >= $1::timestamptz
          AND ($2::timestamptz IS NULL OR (updated_at, order_id) > ($2::timestamptz, $3::text))
        ORDER BY updated_at, order_id
        LIMIT $4`,
      [since, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const facts = await this.dataSource.getRepository(OrderFacts).find({ where: { orderId: In(page.map((row) => row.order_id)) } });
    const byId = new Map(facts.map((f) => [f.orderId, f]));
    const ordered = page.map((row) => byId.get(row.order_id)).filter((f): f is OrderFacts => f !== undefined);
    return {
      service: SERVICES.shipment,
      items: await this.withShipments(ordered),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position, id: last.order_id }) : null,
    };
  }

  private async withShipments(facts: OrderFacts[]): Promise<OrderMilestones[]> {
    if (facts.length === 0) return [];
    const shipments = await this.dataSource.getRepository(Shipment).find({
      where: { orderId: In(facts.map((f) => f.orderId)) },
      order: { createdAt: 'ASC', node: 'ASC' },
    });
    const byOrder = new Map<string, Shipment[]>();
    for (const s of shipments) byOrder.set(s.orderId, [...(byOrder.get(s.orderId) ?? []), s]);
    return facts.map((f) => toOrderMilestones(f, byOrder.get(f.orderId) ?? []));
  }
}

function parseOrderIds(raw: string): string[] {
  const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length > MAX_ORDER_IDS) {
    throw new InvalidInputError([{ field: 'orderIds', message: `at most ${MAX_ORDER_IDS} orderIds per request, got ${ids.length}` }]);
  }
  return ids;
}
