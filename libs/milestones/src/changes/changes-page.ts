import type { MilestonesPage, OrderMilestones } from '@commerce/contracts';
import { encodeCursor, InvalidInputError, keysetPage, keysetTimestampSql } from '@commerce/platform';
import { CANONICAL_UUID, type OrderTable } from '../order-table';
import type { ChangesSelection } from '../query/milestones-query';
import type { MilestonesSource, Queryable } from '../source';

/** One page of the changes mode: its orderIds, oldest change first, and the cursor to the next page. */
export interface ChangedOrders {
  orderIds: string[];
  nextCursor: string | null;
}

/**
 * The orders whose per-order row changed at or after `updatedSince` (the order-row triggers keep
 * `updated_at` true to every change of the order), keyset-paged on (updated_at, orderId), after
 * the cursor's position. The cursor keeps updated_at to the microsecond (what Postgres stores), so
 * no change is skipped between pages when several share a millisecond.
 */
export async function changedOrders(db: Queryable, orders: OrderTable, { updatedSince, after, limit }: ChangesSelection): Promise<ChangedOrders> {
  // A uuid column holds no other id: a position naming one is no cursor of this service.
  if (after !== null && orders.uuid && !CANONICAL_UUID.test(after.id)) {
    throw new InvalidInputError([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
  }
  const column = `o.${orders.column}`;
  const rows = (await db.query(
    `SELECT ${orders.orderIdText} AS order_id, ${keysetTimestampSql('o.updated_at')} AS position
       FROM ${orders.table} o
      WHERE o.updated_at >= $1::timestamptz ${after === null ? '' : `AND (o.updated_at, ${column}) > ($3::timestamptz, $4::${orders.type})`}
      ORDER BY o.updated_at, ${column}
      LIMIT $2`,
    after === null ? [updatedSince, limit + 1] : [updatedSince, limit + 1, after.at, after.id],
  )) as Array<{ order_id: string; position: string }>;
  const page = keysetPage(rows, limit, (last) => encodeCursor({ at: last.position, id: last.order_id }));
  return { orderIds: page.rows.map((row) => row.order_id), nextCursor: page.nextCursor };
}

/**
 * The changes mode's page, derived live: the page's orderIds and their items read on one
 * connection in one snapshot (`db`), so an order's change time and its rows agree. Items come in
 * the page's order; an order the derivation does not know is left out.
 */
export async function changesPage(db: Queryable, orders: OrderTable, source: MilestonesSource, selection: ChangesSelection): Promise<MilestonesPage> {
  const { orderIds, nextCursor } = await changedOrders(db, orders, selection);
  const items = orderIds.length === 0 ? [] : inOrder(orderIds, await source.derive(db, orderIds));
  return { service: source.service, items, nextCursor };
}

function inOrder(orderIds: readonly string[], items: readonly OrderMilestones[]): OrderMilestones[] {
  const byOrderId = new Map(items.map((item) => [item.orderId, item]));
  return orderIds.flatMap((orderId) => byOrderId.get(orderId) ?? []);
}
