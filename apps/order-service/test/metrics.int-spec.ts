import { randomUUID } from 'node:crypto';
import { sampleEvent, type SampleOverrides } from '@commerce/contracts/testing';
import { eventually, type ServiceUnderTest, startServiceUnderTest, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { orderService } from '../src/service';

jest.setTimeout(120_000);

/** What operators alert on, scraped from GET /metrics of the real service on the real broker and Postgres. */
let service: ServiceUnderTest;

beforeAll(async () => {
  // Every order still PLACED a second after it was placed is a breach (no inventory answers here).
  service = await startServiceUnderTest({ ...orderService, configSchema, appModule: (config) => AppModule.forRoot(config), env: { PROCESS_SLA_SECONDS: '1' } });
});

afterAll(async () => {
  await service?.close();
});

async function scrape(): Promise<string> {
  const response = await service.http('GET', '/metrics');
  expect(response.status).toBe(200);
  return response.body as string;
}

/** The value of one sample, by name and labels (in any order); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function placeOrder(): Promise<string> {
  const response = await service.http('POST', '/orders', {
    headers: { 'Idempotency-Key': uniqueName('key') },
    body: {
      customerId: uniqueName('cus'),
      currency: 'EUR',
      lines: [{ sku: 'SKU-MUG-RED', quantity: 1, unitPriceMinor: 1250 }],
      paymentToken: 'tok_ok',
      shippingAddress: { name: 'Ada Lovelace', line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    },
  });
  expect(response.status).toBe(201);
  return response.body.orderId;
}

describe('GET /metrics', () => {
  it('times HTTP requests by route pattern and status, not by path', async () => {
    await placeOrder();
    await service.http('GET', `/orders/${randomUUID()}`);
    const text = await scrape();
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/orders', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/orders/:id', status: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('counts orders by state, and those past the SLA in a non-final state', async () => {
    await placeOrder();
    const text = await eventually(async () => {
      const scraped = await scrape();
      expect(sample(scraped, 'process_sla_breaches', { machine: 'order', state: 'PLACED' })).toBeGreaterThanOrEqual(1);
      return scraped;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(sample(text, 'process_instances', { service: 'order-service', machine: 'order', state: 'PLACED' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'process_oldest_in_state_seconds', { machine: 'order', state: 'PLACED' })).toBeGreaterThan(0);
  });

  it('observes the time an order spent PLACED when payment confirms it', async () => {
    const labels = { machine: 'order', from: 'PLACED', to: 'CONFIRMED' };
    const before = sample(await scrape(), 'process_state_duration_seconds_count', labels) ?? 0;
    const orderId = await placeOrder();
    const overrides = { orderId, eventId: randomUUID(), occurredAt: new Date().toISOString() };
    await service.produce(sampleEvent('PaymentAuthorized', overrides as SampleOverrides<'PaymentAuthorized'>));
    const text = await eventually(async () => {
      const scraped = await scrape();
      expect(sample(scraped, 'process_state_duration_seconds_count', labels)).toBe(before + 1);
      return scraped;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    // PLACED for less than a minute here: counted in the 60 s bucket and every larger one.
    expect(sample(text, 'process_state_duration_seconds_bucket', { ...labels, le: '60' })).toBe(before + 1);
    expect(sample(text, 'process_state_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(before + 1);
    expect(sample(text, 'process_state_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('counts a dead letter as pending', async () => {
    const overrides = { orderId: randomUUID(), eventId: randomUUID(), occurredAt: new Date().toISOString() };
    await service.produce(sampleEvent('PaymentAuthorized', overrides as SampleOverrides<'PaymentAuthorized'>));
    await eventually(async () => {
      const text = await scrape();
      expect(sample(text, 'dead_letters', { service: `${service.prefix}order-service`, state: 'pending' })).toBe(1);
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  it("reports the outbox backlog, and the consumer group's lag on the partitions it consumed", async () => {
    const group = `${service.prefix}order-service`;
    await eventually(async () => {
      const text = await scrape();
      expect(sample(text, 'outbox_pending_events', { service: group })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'outbox_oldest_pending_age_seconds', { service: group })).toBeGreaterThanOrEqual(0);
      // The dead letter above was consumed and committed: nothing left behind on its topic.
      expect(sample(text, 'kafka_consumer_group_lag', { group, topic: `${service.prefix}commerce.payment.events` })).toBe(0);
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });
});
