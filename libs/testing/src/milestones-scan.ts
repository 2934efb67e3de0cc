import { COMPACT_CONTENT_TYPE, CompactPageReader, fullOrderMilestones, type MilestonesPage, milestonesPageSchema, type OrderMilestones } from '@commerce/contracts';
import type { HttpResult } from './service-under-test';

interface HasHttp {
  http(method: string, path: string): Promise<HttpResult>;
}

/** Byte order of the UTF-8 text: the order of `GET /milestones?afterOrderId=` scans. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Reads a service's whole `GET /milestones?afterOrderId=` scan, `limit` items a page, the way the
 * reconciliation service's full scan does: from an empty afterOrderId (or after `start`), each next
 * page after the previous page's nextCursor, until it is null. Every page must follow the contract,
 * hold at most `limit` items, and name its last orderId as nextCursor.
 */
export async function scanInOrderIdOrder(
  service: HasHttp,
  { limit, start = '' }: { limit: number; start?: string },
): Promise<{ items: OrderMilestones[]; pages: MilestonesPage[] }> {
  const pages: MilestonesPage[] = [];
  let after: string | null = start;
  while (after !== null) {
    const response = await service.http('GET', `/milestones?afterOrderId=${encodeURIComponent(after)}&limit=${limit}`);
    if (response.status !== 200) {
      throw new Error(`GET /milestones?afterOrderId=${after} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    const page = milestonesPageSchema.parse(response.body);
    if (page.items.length > limit) throw new Error(`a page of ${page.items.length} items over limit=${limit}`);
    if (page.nextCursor !== null && page.nextCursor !== page.items.at(-1)?.orderId) {
      throw new Error(`nextCursor ${page.nextCursor} is not the last orderId of its page`);
    }
    pages.push(page);
    after = page.nextCursor;
  }
  return { items: pages.flatMap((page) => page.items), pages };
}

/**
 * The checks every service's orderId scan must pass (the reconciliation service merge-joins the
 * five of them): with `stored` = every orderId the service holds, a scan in pages of 2 returns each
 * once in byte order; it resumes after any position, an orderId or not; fromStart=true is the
 * first page; the compact form says what the full form says; and a request mixing modes is a 400
 * naming the fields.
 */
export async function expectOrderIdScan(service: HasHttp, stored: readonly string[]): Promise<void> {
  const expected = [...new Set(stored)].sort(byteOrder);
  expect(expected.length).toBeGreaterThanOrEqual(3);
  const { items, pages } = await scanInOrderIdOrder(service, { limit: 2 });
  const ids = items.map((item) => item.orderId);
  expect(ids).toEqual(expected);
  expect(pages.slice(0, -1).every((page) => page.items.length === 2)).toBe(true);

  const after = async (start: string) => (await scanInOrderIdOrder(service, { limit: 1000, start })).items.map((item) => item.orderId);
  const middle = Math.floor(ids.length / 2);
  expect(await after(ids[middle])).toEqual(ids.slice(middle + 1));
  // A position that is no orderId of this service (another service's, in a merge-join) works the same.
  expect(await after(`${ids[middle]} `)).toEqual(ids.slice(middle + 1));
  expect(await after(ids[ids.length - 1])).toEqual([]);

  const fromStart = await service.http('GET', '/milestones?fromStart=true&limit=2');
  expect(fromStart.status).toBe(200);
  expect({ ids: fromStart.body.items.map((item: OrderMilestones) => item.orderId), nextCursor: fromStart.body.nextCursor }).toEqual({
    ids: pages[0].items.map((item) => item.orderId),
    nextCursor: pages[0].nextCursor,
  });

  // The compact form (what the reconciliation service reads) says the same, in both document-backed modes.
  const compact = async (query: string) => {
    const answer = await service.http('GET', `/milestones?${query}&format=compact`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain(COMPACT_CONTENT_TYPE);
    return [...new CompactPageReader(String(answer.body))].map(fullOrderMilestones);
  };
  expect(await compact('afterOrderId=&limit=1000')).toEqual(items);
  const some = ids.slice(0, 3);
  const full = await service.http('GET', `/milestones?orderIds=${some.map(encodeURIComponent).join(',')}`);
  expect(await compact(`orderIds=${some.map(encodeURIComponent).join(',')}`)).toEqual(expect.arrayContaining(full.body.items));
  expect(await compact(`orderIds=${some.map(encodeURIComponent).join(',')}`)).toHaveLength(full.body.items.length);

  const unknownForm = await service.http('GET', '/milestones?afterOrderId=&format=xml');
  expect(unknownForm.status).toBe(400);
  expect(unknownForm.body.errors.map((error: { field: string }) => error.field)).toEqual(['format']);

  const mixed = await service.http('GET', `/milestones?afterOrderId=&updatedSince=${encodeURIComponent(new Date().toISOString())}`);
  expect(mixed.status).toBe(400);
  expect(mixed.headers.get('content-type')).toContain('application/problem+json');
  expect(mixed.body.errors.map((error: { field: string }) => error.field)).toEqual(['updatedSince', 'afterOrderId']);
}
