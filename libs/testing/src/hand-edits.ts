import { milestonesPageSchema, type OrderMilestones } from '@commerce/contracts';
import { MilestoneDocumentRefresher } from '@commerce/milestones';
import { keysetTimestampSql } from '@commerce/platform';
import { scanInOrderIdOrder } from './milestones-scan';
import type { ServiceUnderTest } from './service-under-test';

type Service = Pick<ServiceUnderTest, 'http' | 'dataSource' | 'app'>;

/** Every item of `GET /milestones?updatedSince=<since>`, following the cursors. */
async function changedItems(service: Pick<ServiceUnderTest, 'http'>, since: string): Promise<OrderMilestones[]> {
  const items: OrderMilestones[] = [];
  let cursor: string | null = null;
  do {
    const query = `updatedSince=${encodeURIComponent(since)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await service.http('GET', `/milestones?${query}`);
    if (answer.status !== 200) throw new Error(`GET /milestones?${query} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const page = milestonesPageSchema.parse(answer.body);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/** The orderIds of every page of `GET /milestones?updatedSince=<since>`, following the cursors. */
export async function changedSince(service: Pick<ServiceUnderTest, 'http'>, since: string): Promise<string[]> {
  return (await changedItems(service, since)).map((item) => item.orderId);
}

/**
 * The order's item as the service derives it live (undefined: the service has no record): from
 * `GET /milestones?updatedSince=` since the epoch, the one mode that never reads a milestone document.
 */
async function liveItem(service: Service, orderId: string): Promise<OrderMilestones | undefined> {
  return (await changedItems(service, '1970-01-01T00:00:00Z')).find((item) => item.orderId === orderId);
}

/** The order's item as `GET /milestones?orderIds=` answers it (from its milestone document when current). */
async function byOrderIdItem(service: Service, orderId: string): Promise<OrderMilestones | undefined> {
  const answer = await service.http('GET', `/milestones?orderIds=${encodeURIComponent(orderId)}`);
  return milestonesPageSchema.parse(answer.body).items.find((item) => item.orderId === orderId);
}

/** The order's item as the full scan's range mode answers it (from its milestone document when current). */
async function rangeItem(service: Service, orderId: string): Promise<OrderMilestones | undefined> {
  return (await scanInOrderIdOrder(service, { limit: 1000 })).items.find((item) => item.orderId === orderId);
}

/**
 * An edit made behind the service's back (raw SQL on its database, as an operator or a bug would)
 * must be seen by both of the reconciliation service's scans and its per-order checks:
 * - the incremental one: the order shows in `GET /milestones?updatedSince=<a moment before the
 *   edit>` (the moment is the database's clock), and did not before the edit (else the test would
 *   prove nothing);
 * - the full one: the order's milestone document, current before the edit (the range mode served
 *   it), names a version of the order's rows the edit replaced, and the range mode answers what a
 *   live derivation answers;
 * - the per-order checks: `?orderIds=` (served from the same documents) answers what a live
 *   derivation answers, before and after. (An order the service did not hold before the edit had
 *   no document.)
 */
export async function expectHandEditSeen(service: Service, orderId: string, edit: { sql: string; parameters?: unknown[] }): Promise<void> {
  const refresher = service.app.get(MilestoneDocumentRefresher);
  await refresher.sweep();
  const served = await refresher.documents.rowVersion(service.dataSource, orderId);
  if (served === null) expect(await liveItem(service, orderId)).toBeUndefined();
  else expect(await refresher.documents.isCurrent(service.dataSource, orderId)).toBe(true);
  expect(await rangeItem(service, orderId)).toEqual(await liveItem(service, orderId));
  expect(await byOrderIdItem(service, orderId)).toEqual(await liveItem(service, orderId));

  const [{ at }] = (await service.dataSource.query(`SELECT ${keysetTimestampSql('clock_timestamp()')} AS at`)) as Array<{ at: string }>;
  expect(await changedSince(service, at)).not.toContain(orderId);
  const result: unknown = await service.dataSource.query(edit.sql, edit.parameters);
  // pg answers an UPDATE/DELETE with [rows, count]: an edit that touched nothing proves nothing either.
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') expect(result[1]).toBeGreaterThan(0);
  expect(await changedSince(service, at)).toContain(orderId);

  // The document served before names a version of the rows that is gone (the refresher may have
  // written a new one since: that one is current, and the range mode may serve it).
  expect(await refresher.documents.rowVersion(service.dataSource, orderId)).not.toBe(served);
  expect(await rangeItem(service, orderId)).toEqual(await liveItem(service, orderId));
  expect(await byOrderIdItem(service, orderId)).toEqual(await liveItem(service, orderId));
}
