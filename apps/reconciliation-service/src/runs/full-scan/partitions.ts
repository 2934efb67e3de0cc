import type { ParsedOrderMilestones } from '@commerce/contracts';
import type { ItemPage } from '../../sources/milestone-client';

/** A slice of the orderId keyspace: the orderIds after `after` up to and including `upTo` (null: no bound). */
export interface KeyRange {
  after: string | null;
  upTo: string | null;
}

/**
 * Splits the keyspace into `count` ranges on the first two hex digits (orderIds are UUIDs, so the
 * ranges are about even; any other ids still land in exactly one range, just less evenly). The
 * bounds are themselves UUIDs (`40000000-0000-0000-0000-000000000000`), so a service whose
 * order_id column is of type uuid can compare them as they are (uuid order is byte order).
 */
export function keyspacePartitions(count: number): KeyRange[] {
  const n = Math.max(1, Math.min(256, Math.floor(count)));
  const bounds = Array.from({ length: n - 1 }, (_, k) => `${Math.floor(((k + 1) * 256) / n).toString(16).padStart(2, '0')}000000-0000-0000-0000-000000000000`);
  return Array.from({ length: n }, (_, k) => ({ after: k === 0 ? null : bounds[k - 1], upTo: k === n - 1 ? null : bounds[k] }));
}

/** Whether `orderId` falls in the range. */
export function inRange(orderId: string, range: KeyRange): boolean {
  return (range.after === null || orderId > range.after) && (range.upTo === null || orderId <= range.upTo);
}

/**
 * A stream of pages sorted by orderId, cut after `upTo`: a page whose `nextCursor` (its last
 * orderId) is within the bound is passed on whole, unread; the page that reaches past it is read
 * up to the bound, and no page after it is asked for.
 */
export async function* upTo(stream: AsyncIterable<ItemPage>, bound: string | null): AsyncGenerator<Iterable<ParsedOrderMilestones>> {
  for await (const page of stream) {
    if (bound === null || (page.nextCursor !== null && page.nextCursor <= bound)) {
      yield page.items;
      continue;
    }
    yield takeUpTo(page.items, bound);
    return;
  }
}

function* takeUpTo(items: Iterable<ParsedOrderMilestones>, bound: string): Generator<ParsedOrderMilestones> {
  for (const record of items) {
    if (record.orderId > bound) return;
    yield record;
  }
}
