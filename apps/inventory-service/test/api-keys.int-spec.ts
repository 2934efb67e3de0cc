import { type ServiceUnderTest, startServiceUnderTest, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { inventoryService } from '../src/service';

jest.setTimeout(120_000);

/** The service's count of refused keys for one reason, read from its own /metrics. */
async function refusals(service: ServiceUnderTest, reason: string): Promise<number> {
  const metrics = (await service.http('GET', '/metrics', { apiKey: null })).body as string;
  const line = metrics.split('\n').find((l) => l.startsWith(`api_key_rejections_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the inventory service asks every caller for an API key', () => {
  let inventory: ServiceUnderTest;

  beforeAll(async () => {
    inventory = await startServiceUnderTest({ ...inventoryService, configSchema, appModule: (config) => AppModule.forRoot(config) });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('answers 401 problem details to a request without a key, and counts it', async () => {
    const before = await refusals(inventory, 'missing');
    const answer = await inventory.http('PUT', `/stock/${uniqueName('SKU')}/wh-berlin`, { body: { onHand: 5 }, apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 401, type: expect.stringMatching(/api-key-rejected$/), detail: 'send the API key in the X-Api-Key header' });
    expect(await refusals(inventory, 'missing')).toBe(before + 1);
  });

  it('answers 401 to a key it does not hold', async () => {
    const answer = await inventory.http('GET', `/stock/${uniqueName('SKU')}`, { apiKey: `${inventory.apiKeys.write}-not` });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/does not hold an API key of this service/);
  });

  it('lets a read key read, refuses it a write with 403, and the stock stays as it was', async () => {
    const sku = uniqueName('SKU');
    expect((await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 7 } })).status).toBe(200);
    const refused = await inventory.http('PUT', `/stock/${sku}/wh-berlin`, { body: { onHand: 0 }, apiKey: inventory.apiKeys.read });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, caller: 'test-reader', detail: expect.stringMatching(/PUT needs a write key/) });
    const stock = await inventory.http('GET', `/stock/${sku}`, { apiKey: inventory.apiKeys.read });
    expect(stock.status).toBe(200);
    expect(stock.body).toMatchObject({ sku, onHand: 7 });
  });

  it('keeps /health, /health/live, /metrics and /docs open', async () => {
    for (const path of ['/health', '/health/live', '/metrics', '/docs', '/docs-json']) {
      expect([path, (await inventory.http('GET', path, { apiKey: null })).status]).toEqual([path, 200]);
    }
  });

  it('declares the X-Api-Key scheme in OpenAPI', async () => {
    const document = (await inventory.http('GET', '/docs-json', { apiKey: null })).body;
    expect(document.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });
});

describe('an address that sends refused keys', () => {
  let inventory: ServiceUnderTest;

  beforeAll(async () => {
    inventory = await startServiceUnderTest({
      ...inventoryService,
      configSchema,
      appModule: (config) => AppModule.forRoot(config),
      env: { API_KEY_FAILURES_PER_MINUTE: '3' },
    });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('is answered 429 for the rest of the minute, even with a good key; the probes stay open', async () => {
    for (let i = 0; i < 3; i++) expect((await inventory.http('GET', '/stock/SKU-X', { apiKey: `guess-${i}` })).status).toBe(401);
    const limited = await inventory.http('GET', '/stock/SKU-X');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, type: expect.stringMatching(/too-many-failed-attempts$/), retryAfterSeconds: expect.any(Number) });
    expect((await inventory.http('GET', '/health/live', { apiKey: null })).status).toBe(200);
  });
});
