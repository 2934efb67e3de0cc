import { encodeCursor, type KeysetPage, keysetPage } from './pagination';
import type { MilestonesSelection } from './milestones-query';

/** What the per-order row query needs from a database connection (a TypeORM DataSource fits). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A per-order row: the business key and `updated_at` as exact keyset text (see `keysetTimestampSql`). */
export interface OrderKeyedRow {
  order_id: string;
  updated_key: string;
}

/**
 * The rows of a table holding one row per order, with an `order_id` and an indexed `updated_at`,
 * for a live derivation: these orders (a milestone documents' `derive`), or changed since (keyset on
 * (updated_at, order_id)); the range mode is `MilestoneDocuments.rangePage`.
 * `columns` must include `order_id` and `updated_key`.
 */
export async function selectOrderRows<T extends OrderKeyedRow>(
  db: Queryable,
  { from, columns }: { from: string; columns: string },
  selection: Exclude<MilestonesSelection, { kind: 'range' }>,
): Promise<KeysetPage<T>> {
  if (selection.kind === 'orders') {
    const rows = (await db.query(
      `SELECT ${columns} FROM ${from} WHERE order_id = ANY($1::text[]) ORDER BY updated_at, order_id`,
      [selection.orderIds],
    )) as T[];
    return { rows, nextCursor: null };
  }
  const { updatedSince, after, limit } = selection;
  const rows = (await db.query(
    `SELECT ${columns} FROM ${from}
      WHERE updated_at >= $1::timestamptz
        AND ($2::timestamptz IS NULL OR (updated_at, order_id) > ($2::timestamptz, $3::text))
      ORDER BY updated_at, order_id LIMIT $4`,
    [updatedSince, after?.at ?? null, after?.id ?? null, limit + 1],
  )) as T[];
  return keysetPage(rows, limit, (last) => encodeCursor({ at: last.updated_key, id: last.order_id }));
}
