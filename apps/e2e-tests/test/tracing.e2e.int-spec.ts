import { assertZipkinAnswers, eventually, newTraceparent, uniqueName, type ZipkinSpan, zipkinTrace, zipkinTracingEnv } from '@commerce/testing';
import { StackApi } from './support/api';
import { E2E_SERVICES, type E2eStack, startE2eStack } from './support/e2e-stack';

/**
 * One order, one trace: the five services trace to the local Zipkin (started by `infra up`), an
 * order placed through REST with a known `traceparent`, and the trace read back from Zipkin's API.
 */
jest.setTimeout(300_000);

describe('tracing an order across the five services', () => {
  let stack: E2eStack;
  let api: StackApi;

  beforeAll(async () => {
    await assertZipkinAnswers();
    stack = await startE2eStack({ env: zipkinTracingEnv() });
    api = new StackApi(stack.urls, stack.apiKeys.operator);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('shows one trace from POST /orders through every Kafka hop, each consumer span a child of its publish span', async () => {
    const sku = uniqueName('SKU-traced').toUpperCase();
    await api.setStock(sku, 'wh-berlin', 5);
    const { traceId, traceparent } = newTraceparent();
    const placed = await api.placeOrder([{ sku, quantity: 1, unitPriceMinor: 1000 }], 'tok_ok', { traceparent });

    const spans = await eventually(
      async () => {
        const found = await zipkinTrace(traceId);
        const services = new Set(found.map((s) => s.localEndpoint?.serviceName));
        for (const service of E2E_SERVICES) expect(services).toContain(service);
        // Payment authorized → the shipment service made the shipment: the last hop of the happy path.
        expect(found.some((s) => s.kind === 'CONSUMER' && s.localEndpoint?.serviceName === 'shipment-service' && /paymentauthorized/i.test(s.name))).toBe(true);
        return found;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    const byId = new Map(spans.map((s) => [s.id, s]));
    const serviceOf = (span: ZipkinSpan | undefined) => span?.localEndpoint?.serviceName;
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);

    // The order service's HTTP server span continues the caller's traceparent.
    const root = spans.find((s) => s.kind === 'SERVER' && serviceOf(s) === 'order-service' && /post/i.test(s.name));
    expect(root).toBeDefined();

    // Every consumer span hangs below the relay's publish span in the service that stored the event.
    const consumers = spans.filter((s) => s.kind === 'CONSUMER' && s.name.startsWith('process '));
    expect(consumers.length).toBeGreaterThanOrEqual(4);
    for (const consumer of consumers) {
      const publish = byId.get(consumer.parentId ?? '');
      expect(publish).toMatchObject({ kind: 'PRODUCER', name: consumer.name.replace(/^process /, 'publish ') });
      expect(serviceOf(publish)).not.toBe(serviceOf(consumer));
      expect(byId.has(publish?.parentId ?? '')).toBe(true); // the span that stored the outbox row
    }
    // The hop from the order service to the inventory carries the order id.
    const reserved = consumers.find((s) => serviceOf(s) === 'inventory-service' && /orderplaced/i.test(s.name));
    expect(reserved?.tags?.['order.id']).toBe(placed.orderId);
  });
});
