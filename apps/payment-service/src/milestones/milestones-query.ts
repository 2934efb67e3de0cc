import { decodeCursor, InvalidInputError, type KeysetPosition } from '@commerce/platform';

/** Most orderIds one request may name, and the page size bounds of an updatedSince scan. */
export const MAX_ORDER_IDS = 1000;
export const DEFAULT_LIMIT = 500;

export type MilestonesSelection =
  | { kind: 'orders'; orderIds: string[]; updatedSince: string | null }
  | { kind: 'changes'; updatedSince: string; after: KeysetPosition | null; limit: number };

export interface RawMilestonesQuery {
  orderIds?: string;
  updatedSince?: string;
  cursor?: string;
  limit?: number;
}

/**
 * GET /milestones answers either "these orders" (orderIds, unpaged) or "what changed since"
 * (updatedSince, keyset-paged by (updatedAt, orderId)); asking neither is a client error.
 */
export function parseMilestonesQuery(query: RawMilestonesQuery): MilestonesSelection {
  if (query.orderIds !== undefined) {
    const orderIds = [...new Set(query.orderIds.split(',').map((id) => id.trim()).filter((id) => id.length > 0))];
    if (orderIds.length === 0) throw new InvalidInputError([{ field: 'orderIds', message: 'must name at least one orderId' }]);
    if (orderIds.length > MAX_ORDER_IDS) {
      throw new InvalidInputError([{ field: 'orderIds', message: `must name at most ${MAX_ORDER_IDS} orderIds` }]);
    }
    if (query.cursor !== undefined) {
      throw new InvalidInputError([{ field: 'cursor', message: 'only pages an updatedSince query; orderIds answers in one page' }]);
    }
    return { kind: 'orders', orderIds, updatedSince: query.updatedSince ?? null };
  }
  if (query.updatedSince !== undefined) {
    return {
      kind: 'changes',
      updatedSince: query.updatedSince,
      after: query.cursor === undefined ? null : decodeCursor(query.cursor),
      limit: query.limit ?? DEFAULT_LIMIT,
    };
  }
  throw new InvalidInputError([
    { field: 'orderIds', message: 'either orderIds (comma-separated) or updatedSince (ISO-8601) is required' },
    { field: 'updatedSince', message: 'either orderIds (comma-separated) or updatedSince (ISO-8601) is required' },
  ]);
}
