import { milestonesPageSchema } from '@commerce/contracts';
import { keysetTimestampSql } from '@commerce/platform';
import type { ServiceUnderTest } from './service-under-test';

type Service = Pick<ServiceUnderTest, 'http' | 'dataSource'>;

/** The orderIds of every page of `GET /milestones?updatedSince=<since>`, following the cursors. */
export async function changedSince(service: Pick<ServiceUnderTest, 'http'>, since: string): Promise<string[]> {
  const orderIds: string[] = [];
  let cursor: string | null = null;
  do {
    const query = `updatedSince=${encodeURIComponent(since)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await service.http('GET', `/milestones?${query}`);
    if (answer.status !== 200) throw new Error(`GET /milestones?${query} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const page = milestonesPageSchema.parse(answer.body);
    orderIds.push(...page.items.map((item) => item.orderId));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return orderIds;
}

/**
 * An edit made behind the service's back (raw SQL on its database, as an operator or a bug would)
 * must make the order show in `GET /milestones?updatedSince=<a moment before the edit>`, so the
 * reconciliation service's incremental scan sees it. The moment is the database's clock; the
 * order must not show before the edit (else the test would prove nothing).
 */
export async function expectHandEditSeen(service: Service, orderId: string, edit: { sql: string; parameters?: unknown[] }): Promise<void> {
  const [{ at }] = (await service.dataSource.query(`SELECT ${keysetTimestampSql('clock_timestamp()')} AS at`)) as Array<{ at: string }>;
  expect(await changedSince(service, at)).not.toContain(orderId);
  const result: unknown = await service.dataSource.query(edit.sql, edit.parameters);
  // pg answers an UPDATE/DELETE with [rows, count]: an edit that touched nothing proves nothing either.
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') expect(result[1]).toBeGreaterThan(0);
  expect(await changedSince(service, at)).toContain(orderId);
}
