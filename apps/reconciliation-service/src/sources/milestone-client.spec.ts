import { randomUUID } from 'node:crypto';
import { fullOrderMilestones } from '@commerce/contracts';
import { FAKE_SERVICES_CALLER_KEY, FakeService } from '../../test/support/fake-services';
import { deliveredOrder } from '../../test/support/milestones';
import { MilestoneClient, readPage, ServiceUnavailableError } from './milestone-client';

describe('MilestoneClient', () => {
  const fake = new FakeService('payment');
  const client = (options: Partial<ConstructorParameters<typeof MilestoneClient>[0]> = {}) =>
    new MilestoneClient({ service: 'payment', baseUrl: fake.url, apiKey: FAKE_SERVICES_CALLER_KEY, retries: 2, retryDelayMs: 10, timeoutMs: 300, ...options });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.mode = 'up';
    fake.answersCompact = true;
    fake.records.clear();
    fake.requests = 0;
  });

  describe('when reading by orderIds', () => {
    it('cuts batches at the batch size and before the URL gets too long (Node refuses heads over 16 KiB)', () => {
      const ids = Array.from({ length: 1200 }, () => randomUUID());
      const byCount = client({ batchSize: 500, maxUrlLength: 1_000_000 }).batches(ids);
      expect(byCount.map((b) => b.length)).toEqual([500, 500, 200]);
      const byLength = client({ batchSize: 500, maxUrlLength: 14_000 }).batches(ids);
      expect(byLength.flat()).toEqual(ids);
      for (const batch of byLength) expect(`${fake.url}/milestones?orderIds=${batch.map(encodeURIComponent).join('%2C')}`.length).toBeLessThanOrEqual(14_000);
    });

    it('returns the records the service knows, leaving unknown ids out', async () => {
      const known = deliveredOrder(randomUUID()).services.payment;
      if (!known || known === 'unavailable') throw new Error('fixture');
      fake.put(known);
      const found = await client().byOrderIds([known.orderId, randomUUID()]);
      expect([...found.keys()]).toEqual([known.orderId]);
    });

    it('gathers the records of every batch, however the batches interleave', async () => {
      const records = Array.from({ length: 25 }, () => deliveredOrder(randomUUID()).services.payment).filter((r) => r !== null && r !== 'unavailable');
      for (const record of records) fake.put(record);
      const found = await client({ batchSize: 4 }).byOrderIds([...records.map((r) => r.orderId), randomUUID()]);
      expect([...found.keys()].sort()).toEqual(records.map((r) => r.orderId).sort());
      expect(fake.requests).toBe(7);
    });

    it('reports a service that does not answer as unavailable, batches in flight or not', async () => {
      fake.mode = 'down';
      await expect(client({ batchSize: 2 }).byOrderIds(Array.from({ length: 9 }, () => randomUUID()))).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });

  it('pages through every record in orderId order (afterOrderId keyset)', async () => {
    const ids = Array.from({ length: 25 }, () => randomUUID());
    for (const id of ids) fake.put({ orderId: id, status: 'AUTHORIZED', updatedAt: new Date().toISOString(), milestones: [], facts: {} });
    const pages: string[][] = [];
    for await (const page of client({ rangePageSize: 10 }).inOrderIdOrder(null)) pages.push([...page.items].map((r) => r.orderId));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual([...ids].sort());
  });

  it('asks for compact pages and reads them as the same records, times as epoch ms', async () => {
    const record = deliveredOrder(randomUUID()).services.payment;
    if (!record || record === 'unavailable') throw new Error('fixture');
    fake.put(record);
    const read = (await client().byOrderIds([record.orderId])).get(record.orderId);
    expect(read?.milestones.every((m) => typeof m.at === 'number')).toBe(true);
    expect(read && fullOrderMilestones(read)).toEqual(record);
  });

  it('reads a service that answers in the full form only (an older version)', async () => {
    fake.answersCompact = false;
    const record = deliveredOrder(randomUUID()).services.payment;
    if (!record || record === 'unavailable') throw new Error('fixture');
    fake.put(record);
    expect((await client().byOrderIds([record.orderId])).get(record.orderId)).toEqual(record);
  });

  it('refuses a page that breaks the contract', () => {
    const header = JSON.stringify({ service: 'payment-service', format: 'compact', nextCursor: null });
    // A compact page is read lazily: the item is refused when it is reached.
    const page = readPage(`${header}\n{"orderId":"o-1"}`, 'application/x-ndjson');
    expect(() => [...page.items]).toThrow(/contract: item 0/);
    expect(() => readPage(JSON.stringify({ service: 'payment-service', nextCursor: null, items: [{ orderId: 'o-1' }] }), 'application/json')).toThrow(/contract: items\[0\]/);
  });

  it('retries a service that fails, then reports it unavailable (never as "no milestones")', async () => {
    fake.mode = 'down';
    await expect(client().byOrderIds(['o-1'])).rejects.toThrow(ServiceUnavailableError);
    expect(fake.requests).toBe(3);
  });

  it('times out a service that does not answer', async () => {
    fake.mode = 'hang';
    await expect(client({ retries: 0 }).byOrderIds(['o-1'])).rejects.toThrow(/did not answer/);
  });

  it('does not retry a request the service refuses (4xx)', async () => {
    await expect(client().byOrderIds([])).resolves.toEqual(new Map());
    const refusing = new MilestoneClient({ service: 'payment', baseUrl: `${fake.url}/nowhere`, apiKey: FAKE_SERVICES_CALLER_KEY, retries: 2, retryDelayMs: 10 });
    await expect(refusing.byOrderIds(['o-1'])).rejects.toThrow(/HTTP 404/);
    expect(fake.requests).toBe(1);
  });

  it('sends its key as X-Api-Key; a service refusing the key is not asked again', async () => {
    const known = deliveredOrder(randomUUID()).services.payment;
    if (!known || known === 'unavailable') throw new Error('fixture');
    fake.put(known);
    await expect(client().byOrderIds([known.orderId])).resolves.toHaveProperty('size', 1);
    fake.requests = 0;
    await expect(client({ apiKey: 'not-the-key' }).byOrderIds([known.orderId])).rejects.toThrow(/HTTP 401/);
    expect(fake.requests).toBe(1);
  });
});
