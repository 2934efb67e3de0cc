import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { type EventEnvelope, type EventPayloads, type EventType, milestonesPageSchema, TOPICS } from '@commerce/contracts';
import { sampleEvent, type SampleOverrides } from '@commerce/contracts/testing';
import { eventually, expectHandEditSeen, expectOrderIdScan, type ServiceUnderTest, startServiceUnderTest, testBrokers, uniqueName } from '@commerce/testing';
import { AppModule } from '../src/app.module';
import { configSchema } from '../src/config';
import { OrderFactEntity } from '../src/orders/order-fact.entity';
import { OrderStore } from '../src/orders/order-store';
import { orderService } from '../src/service';

jest.setTimeout(120_000);

let service: ServiceUnderTest;

beforeAll(async () => {
  service = await startServiceUnderTest({ ...orderService, configSchema, appModule: (config) => AppModule.forRoot(config) });
});

afterAll(async () => {
  await service?.close();
});

function orderRequest(overrides: Record<string, unknown> = {}) {
  return {
    customerId: uniqueName('cus'),
    currency: 'EUR',
    lines: [
      { sku: 'SKU-MUG-RED', quantity: 2, unitPriceMinor: 1250 },
      { sku: 'SKU-TEE-BLUE', quantity: 1, unitPriceMinor: 2500 },
    ],
    paymentToken: 'tok_ok',
    shippingAddress: { name: 'Ada Lovelace', line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    ...overrides,
  };
}

async function placeOrder(body: unknown = orderRequest(), key: string = uniqueName('key')) {
  return service.http('POST', '/orders', { body, headers: { 'Idempotency-Key': key } });
}

async function placedOrderId(body: unknown = orderRequest()): Promise<string> {
  const response = await placeOrder(body);
  expect(response.status).toBe(201);
  return response.body.orderId;
}

let clock = 0;
/** An upstream event about `orderId`, with a fresh eventId and an occurredAt after the previous one's (and now). */
function upstream<T extends EventType>(type: T, orderId: string, payload: Partial<EventPayloads[T]> = {}): EventEnvelope<T> {
  clock = Math.max(clock + 1, Date.now());
  const overrides = { orderId, eventId: randomUUID(), correlationId: orderId, occurredAt: new Date(clock).toISOString(), payload };
  return sampleEvent(type, overrides as SampleOverrides<T>);
}

const getOrder = async (orderId: string) => (await service.http('GET', `/orders/${orderId}`)).body;

async function statusBecomes(orderId: string, status: string) {
  return eventually(async () => {
    const order = await getOrder(orderId);
    expect(order.status).toBe(status);
    return order;
  });
}

/** Waits until `count` facts are recorded for the order (events were consumed). */
async function factsRecorded(orderId: string, count: number) {
  await eventually(async () => {
    const [{ n }] = await service.dataSource.query('SELECT count(*)::int AS n FROM order_fact WHERE order_id = $1', [orderId]);
    expect(n).toBe(count);
  });
}


async function countRows(table: 'customer_order' | 'outbox_message'): Promise<number> {
  const [{ n }] = await service.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

describe('POST /orders', () => {
  it('places the order: 201, Location, PLACED with the computed total, and OrderPlaced in the same transaction', async () => {
    const request = orderRequest();
    const response = await placeOrder(request);

    expect(response.status).toBe(201);
    const order = response.body;
    expect(order.orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`/orders/${order.orderId}`);
    expect(order).toMatchObject({ status: 'PLACED', customerId: request.customerId, currency: 'EUR', totalMinor: 5000, units: 3, lines: request.lines });

    const [placed, ...others] = await service.outbox(order.orderId);
    expect(others).toEqual([]);
    expect(placed).toMatchObject({
      type: 'OrderPlaced',
      orderId: order.orderId,
      producer: 'order-service',
      causationId: null,
      payload: { customerId: request.customerId, totalMinor: 5000, currency: 'EUR', lines: request.lines, paymentToken: 'tok_ok' },
    });
  });

  it('publishes OrderPlaced to the order topic, keyed by the orderId', async () => {
    const orderId = await placedOrderId();
    const kafka = new Kafka({ clientId: uniqueName('reader'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('reader') });
    const seen: Array<{ key: string | undefined; value: EventEnvelope }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: service.prefix + TOPICS.orderEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString(), value: JSON.parse(message.value!.toString()) });
      },
    });
    try {
      await eventually(() => expect(seen.filter((m) => m.key === orderId).map((m) => m.value.type)).toEqual(['OrderPlaced']), { timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
  });

  it('returns the same order (200, Location) for the same key and the same body, even with its keys reordered', async () => {
    const key = uniqueName('key');
    const request = orderRequest();
    const first = await placeOrder(request, key);
    const reordered = {
      shippingAddress: { country: 'DE', postalCode: '10119', city: 'Berlin', line1: 'Torstraße 1', name: 'Ada Lovelace' },
      paymentToken: 'tok_ok',
      lines: request.lines.map(({ unitPriceMinor, quantity, sku }) => ({ unitPriceMinor, quantity, sku })),
      currency: 'EUR',
      customerId: request.customerId,
    };
    const second = await placeOrder(reordered, key);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(second.headers.get('location')).toBe(`/orders/${first.body.orderId}`);
    expect(await service.outbox(first.body.orderId, 'OrderPlaced')).toHaveLength(1);
    const [{ n }] = await service.dataSource.query('SELECT count(*)::int AS n FROM customer_order WHERE customer_id = $1', [request.customerId]);
    expect(n).toBe(1);
  });

  it('answers 409 problem details for the same key with a different body, and writes nothing', async () => {
    const key = uniqueName('key');
    const first = await placeOrder(orderRequest(), key);
    const before = { orders: await countRows('customer_order'), outbox: await countRows('outbox_message') };

    const second = await placeOrder(orderRequest({ currency: 'USD' }), key);

    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ status: 409, type: expect.stringContaining('idempotency-key-reused'), orderId: first.body.orderId });
    expect({ orders: await countRows('customer_order'), outbox: await countRows('outbox_message') }).toEqual(before);
  });

  it('creates one order when the same request races itself', async () => {
    const key = uniqueName('key');
    const request = orderRequest();
    const responses = await Promise.all(Array.from({ length: 8 }, () => placeOrder(request, key)));

    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.orderId)).size).toBe(1);
    const [{ n }] = await service.dataSource.query('SELECT count(*)::int AS n FROM customer_order WHERE customer_id = $1', [request.customerId]);
    expect(n).toBe(1);
    expect(await service.outbox(responses[0].body.orderId, 'OrderPlaced')).toHaveLength(1);
  });

  it('answers 400 naming the Idempotency-Key header when it is missing, and writes nothing', async () => {
    const before = await countRows('customer_order');
    const response = await service.http('POST', '/orders', { body: orderRequest() });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await countRows('customer_order')).toBe(before);
  });

  it.each([
    ['lines[0].quantity', { lines: [{ sku: 'SKU-1', quantity: 0, unitPriceMinor: 100 }] }],
    ['lines[0].unitPriceMinor', { lines: [{ sku: 'SKU-1', quantity: 1, unitPriceMinor: -1 }] }],
    ['lines', { lines: [] }],
    ['lines', { lines: Array.from({ length: 101 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPriceMinor: 1 })) }],
    ['currency', { currency: 'euro' }],
    ['shippingAddress.country', { shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'Germany' } }],
    ['shippingAddress', { shippingAddress: undefined }],
    ['paymentToken', { paymentToken: '' }],
    ['customerId', { customerId: 42 }],
  ])('answers 400 naming %s when it is invalid, and writes nothing', async (field, overrides) => {
    const before = { orders: await countRows('customer_order'), outbox: await countRows('outbox_message') };
    const response = await placeOrder(orderRequest(overrides));

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect({ orders: await countRows('customer_order'), outbox: await countRows('outbox_message') }).toEqual(before);
  });

  it('answers 400 for a field the contract does not have', async () => {
    const response = await placeOrder(orderRequest({ discountMinor: 100 }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'discountMinor' })]);
  });
});

describe('GET /orders/:id', () => {
  it('answers 400 for an id that is not a UUID', async () => {
    const response = await service.http('GET', '/orders/not-a-uuid');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('answers 404 for an order it does not know', async () => {
    const response = await service.http('GET', `/orders/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('GET /orders', () => {
  it('pages newest first with a cursor, filtered by customer and status', async () => {
    const customerId = uniqueName('cus');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await placedOrderId(orderRequest({ customerId })));
    await service.produce(upstream('InventoryRejected', ids[0]));
    await statusBecomes(ids[0], 'REJECTED');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = `/orders?customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Array<{ orderId: string }>; nextCursor: string | null } = (await service.http('GET', query)).body;
      seen.push(...page.items.map((item) => item.orderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const rejected = await service.http('GET', `/orders?customerId=${customerId}&status=REJECTED`);
    expect(rejected.body.items.map((item: { orderId: string }) => item.orderId)).toEqual([ids[0]]);
    const placedAfter = await service.http('GET', `/orders?customerId=${customerId}&placedAfter=${encodeURIComponent(rejected.body.items[0].placedAt)}`);
    expect(placedAfter.body.items).toHaveLength(4);
  });

  it('answers 400 for a bad filter or cursor', async () => {
    expect((await service.http('GET', '/orders?status=LOST')).status).toBe(400);
    expect((await service.http('GET', '/orders?limit=0')).status).toBe(400);
    expect((await service.http('GET', '/orders?placedAfter=yesterday')).status).toBe(400);
    expect((await service.http('GET', '/orders?cursor=garbage')).body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});

describe('the status follows what the other services report', () => {
  it('goes PLACED → CONFIRMED → SHIPPED → DELIVERED along the happy path, with a timeline of what it heard', async () => {
    const orderId = await placedOrderId();
    await service.produce(upstream('InventoryReserved', orderId));
    await service.produce(upstream('PaymentAuthorized', orderId, { paymentId: 'pay_1', amountMinor: 5000 }));
    await statusBecomes(orderId, 'CONFIRMED');

    await service.produce(
      upstream('ShipmentCreated', orderId, { shipmentId: 'shp_1' }),
      upstream('ShipmentCreated', orderId, { shipmentId: 'shp_2' }),
      upstream('ShipmentDispatched', orderId, { shipmentId: 'shp_1' }),
    );
    await factsRecorded(orderId, 5);
    expect((await getOrder(orderId)).status).toBe('CONFIRMED');

    await service.produce(upstream('ShipmentDispatched', orderId, { shipmentId: 'shp_2' }));
    await statusBecomes(orderId, 'SHIPPED');
    await service.produce(upstream('ShipmentDelivered', orderId, { shipmentId: 'shp_1' }), upstream('ShipmentDelivered', orderId, { shipmentId: 'shp_2' }));
    const order = await statusBecomes(orderId, 'DELIVERED');

    expect(order.milestones.map((m: { name: string }) => m.name)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(order.timeline.map((entry: { event: string }) => entry.event)).toEqual([
      'OrderPlaced',
      'InventoryReserved',
      'PaymentAuthorized',
      'ShipmentCreated',
      'ShipmentCreated',
      'ShipmentDispatched',
      'ShipmentDispatched',
      'ShipmentDelivered',
      'ShipmentDelivered',
    ]);
    expect(order.timeline[2]).toMatchObject({ ref: 'pay_1', amountMinor: 5000, currency: 'EUR' });
  });

  it('reaches the same status when the topics deliver out of order (shipments before payment before inventory)', async () => {
    const orderId = await placedOrderId();
    await service.produce(
      upstream('ShipmentCreated', orderId, { shipmentId: 'shp_1' }),
      upstream('ShipmentDispatched', orderId, { shipmentId: 'shp_1' }),
      upstream('ShipmentDelivered', orderId, { shipmentId: 'shp_1' }),
    );
    await statusBecomes(orderId, 'DELIVERED');
    await service.produce(upstream('PaymentAuthorized', orderId), upstream('PaymentCaptured', orderId, { shipmentId: 'shp_1' }));
    await service.produce(upstream('InventoryReserved', orderId));
    await factsRecorded(orderId, 6);
    expect((await getOrder(orderId)).status).toBe('DELIVERED');
  });

  it('is REJECTED when inventory rejects, or when the payment is declined', async () => {
    const rejectedByInventory = await placedOrderId();
    await service.produce(upstream('InventoryRejected', rejectedByInventory));
    const byInventory = await statusBecomes(rejectedByInventory, 'REJECTED');
    expect(byInventory.milestones[1]).toMatchObject({ name: 'REJECTED', detail: { by: 'inventory', reason: 'insufficient-stock' } });

    const declined = await placedOrderId();
    await service.produce(upstream('PaymentDeclined', declined), upstream('InventoryReserved', declined), upstream('InventoryReleased', declined));
    await factsRecorded(declined, 3);
    expect((await getOrder(declined)).status).toBe('REJECTED');
  });

  it('records a fact once, whether the same event comes twice or is republished with a new eventId', async () => {
    const orderId = await placedOrderId();
    const reserved = upstream('InventoryReserved', orderId);
    await service.produce(reserved, reserved, { ...reserved, eventId: randomUUID() });
    await service.produce(upstream('PaymentAuthorized', orderId));
    await statusBecomes(orderId, 'CONFIRMED');
    await factsRecorded(orderId, 2);
  });

  it('dead-letters an event about an order it does not know', async () => {
    const unknown = randomUUID();
    const event = upstream('PaymentAuthorized', unknown);
    await service.produce(event);
    const [row] = await eventually(async () => {
      const rows = await service.dataSource.query('SELECT reason, order_id FROM dead_letter WHERE event_id = $1', [event.eventId]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row.reason).toMatch(/^PoisonMessageError: .*does not know/);
  });
});

describe('POST /orders/:id/cancel', () => {
  const cancel = (orderId: string, body?: unknown) => service.http('POST', `/orders/${orderId}/cancel`, { body });

  it('is CANCELLED at once when nothing was reserved, authorized or shipped yet, and says so with 409 afterwards', async () => {
    const orderId = await placedOrderId();
    const response = await cancel(orderId, { reason: 'changed my mind' });

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ orderId, status: 'CANCELLED', cancellationReason: 'changed my mind' });
    const [requested] = await service.outbox(orderId, 'OrderCancellationRequested');
    expect(requested).toMatchObject({ payload: { reason: 'changed my mind' }, orderId });
    const placed = (await service.outbox(orderId, 'OrderPlaced'))[0];
    expect(requested.correlationId).toBe(placed.correlationId);

    // Late news of a reservation does not undo CANCELLED (inventory releases it on the cancellation).
    await service.produce(upstream('InventoryReserved', orderId));
    await factsRecorded(orderId, 1);
    expect((await getOrder(orderId)).status).toBe('CANCELLED');

    const again = await cancel(orderId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, type: expect.stringContaining('order-not-cancellable') });
    expect(await service.outbox(orderId, 'OrderCancellationRequested')).toHaveLength(1);
  });

  it('accepts a repeated request while the cancellation is under way without a second event, then is CANCELLED once compensated', async () => {
    const orderId = await placedOrderId();
    await service.produce(upstream('InventoryReserved', orderId), upstream('PaymentAuthorized', orderId));
    await statusBecomes(orderId, 'CONFIRMED');
    await service.produce(upstream('ShipmentCreated', orderId, { shipmentId: 'shp_1' }));
    await factsRecorded(orderId, 3);

    const first = await cancel(orderId);
    const second = await cancel(orderId, { reason: 'really' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toMatchObject({ status: 'CONFIRMED', cancellationReason: 'customer-request' });
    expect(await service.outbox(orderId, 'OrderCancellationRequested')).toHaveLength(1);

    // The compensations arrive on three topics, in any order.
    await service.produce(upstream('PaymentVoided', orderId), upstream('ShipmentCancelled', orderId, { shipmentId: 'shp_1' }));
    await factsRecorded(orderId, 5);
    expect((await getOrder(orderId)).status).toBe('CONFIRMED');
    await service.produce(upstream('InventoryReleased', orderId));
    const order = await statusBecomes(orderId, 'CANCELLED');
    expect(order.milestones.map((m: { name: string }) => m.name)).toEqual(['PLACED', 'CONFIRMED', 'CANCELLATION_REQUESTED', 'CANCELLED']);
  });

  it('keeps the shipping status when the shipment refuses the cancellation, and records the refusal', async () => {
    const orderId = await placedOrderId();
    await service.produce(
      upstream('InventoryReserved', orderId),
      upstream('PaymentAuthorized', orderId),
      upstream('ShipmentCreated', orderId, { shipmentId: 'shp_1' }),
      upstream('ShipmentDispatched', orderId, { shipmentId: 'shp_1' }),
    );
    await statusBecomes(orderId, 'SHIPPED');

    expect((await cancel(orderId)).status).toBe(202);
    await service.produce(upstream('ShipmentCancellationRefused', orderId, { shipmentId: 'shp_1' }), upstream('InventoryReleased', orderId));
    await factsRecorded(orderId, 6);
    const order = await getOrder(orderId);
    expect(order.status).toBe('SHIPPED');
    expect(order.milestones.map((m: { name: string }) => m.name)).toEqual(['PLACED', 'CONFIRMED', 'SHIPPED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REFUSED']);

    await service.produce(upstream('ShipmentDelivered', orderId, { shipmentId: 'shp_1' }));
    await statusBecomes(orderId, 'DELIVERED');
    expect((await cancel(orderId)).status).toBe(409);
  });

  it('answers 409 for a REJECTED order, 404 for an unknown one, 400 for a bad id or reason', async () => {
    const orderId = await placedOrderId();
    await service.produce(upstream('InventoryRejected', orderId));
    await statusBecomes(orderId, 'REJECTED');

    const rejected = await cancel(orderId);
    expect(rejected.status).toBe(409);
    expect(rejected.body).toMatchObject({ status: 409, orderStatus: 'REJECTED' });
    expect(await service.outbox(orderId, 'OrderCancellationRequested')).toEqual([]);

    expect((await cancel(randomUUID())).status).toBe(404);
    expect((await cancel('nope')).status).toBe(400);
    const badReason = await cancel(await placedOrderId(), { reason: 5 });
    expect(badReason.status).toBe(400);
    expect(badReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
  });
});

describe('RepublishEventsRequested', () => {
  it('re-emits OrderPlaced and the cancellation from the stored order, with new eventIds in the order flow', async () => {
    const orderId = await placedOrderId();
    await service.produce(upstream('InventoryReserved', orderId));
    await factsRecorded(orderId, 1);
    await service.http('POST', `/orders/${orderId}/cancel`);
    const [placed] = await service.outbox(orderId, 'OrderPlaced');

    const command = upstream('RepublishEventsRequested', orderId, { eventTypes: ['OrderPlaced'], targetService: 'inventory-service', rule: 'stuck-at-inventory' });
    await service.produce(command);

    const republished = await eventually(async () => {
      const events = (await service.outbox(orderId)).filter((event) => event.causationId === command.eventId);
      expect(events.map((event) => event.type)).toEqual(['OrderPlaced', 'OrderCancellationRequested']);
      return events;
    });
    expect(republished[0].eventId).not.toBe(placed.eventId);
    expect(republished[0].payload).toEqual(placed.payload);
    expect(republished[0].correlationId).toBe(placed.correlationId);
  });

  it('leaves the event types of other services to them', async () => {
    const orderId = await placedOrderId();
    const command = upstream('RepublishEventsRequested', orderId, { eventTypes: ['PaymentAuthorized'], targetService: 'order-service' });
    const marker = upstream('InventoryReserved', orderId);
    await service.produce(command, marker);
    await factsRecorded(orderId, 1);
    await eventually(async () => {
      const [{ n }] = await service.dataSource.query('SELECT count(*)::int AS n FROM processed_event WHERE event_id = $1', [command.eventId]);
      expect(n).toBe(1);
    });
    expect((await service.outbox(orderId)).map((event) => event.type)).toEqual(['OrderPlaced']);
  });
});

describe('GET /milestones', () => {
  it('answers by orderIds with the contract shape, leaving unknown ids out', async () => {
    const confirmed = await placedOrderId();
    const cancelled = await placedOrderId();
    await service.produce(upstream('InventoryReserved', confirmed), upstream('PaymentAuthorized', confirmed, { paymentId: 'pay_9', amountMinor: 5000 }));
    await statusBecomes(confirmed, 'CONFIRMED');
    await service.http('POST', `/orders/${cancelled}/cancel`);

    const response = await service.http('GET', `/milestones?orderIds=${confirmed},${randomUUID()},not-an-id,${cancelled}`);
    expect(response.status).toBe(200);
    const page = milestonesPageSchema.parse(response.body);
    expect(page.service).toBe('order-service');
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((item) => item.orderId)).toEqual([confirmed, cancelled]);

    const [first, second] = page.items;
    expect(first).toMatchObject({
      status: 'CONFIRMED',
      facts: { totalMinor: 5000, currency: 'EUR', units: 3, lines: 2, cancellationRequested: false },
    });
    expect(first.milestones).toEqual([
      expect.objectContaining({ name: 'PLACED', amountMinor: 5000, currency: 'EUR' }),
      expect.objectContaining({ name: 'CONFIRMED', ref: 'pay_9', amountMinor: 5000 }),
    ]);
    expect(second).toMatchObject({ status: 'CANCELLED', facts: { cancellationRequested: true } });
    expect(second.milestones.map((m) => m.name)).toEqual(['PLACED', 'CANCELLATION_REQUESTED', 'CANCELLED']);
  });

  it('pages everything changed since an instant by (updatedAt, orderId), each order once', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await placedOrderId());
    await service.produce(upstream('InventoryReserved', ids[0]));
    await factsRecorded(ids[0], 1);

    const expected: Array<{ id: string }> = await service.dataSource.query(
      'SELECT id FROM customer_order WHERE updated_at >= $1 ORDER BY updated_at, id',
      [since],
    );
    const seen: Array<{ orderId: string; updatedAt: string }> = [];
    let cursor: string | null = null;
    do {
      const path = `/milestones?updatedSince=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await service.http('GET', path);
      expect(response.status).toBe(200);
      const page = milestonesPageSchema.parse(response.body);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen.map((item) => item.orderId)).toEqual(expected.map((row) => row.id));
    expect(seen.map((item) => item.orderId)).toEqual(expect.arrayContaining(ids));
    // The order that heard of its reservation changed last.
    expect(seen[seen.length - 1].orderId).toBe(ids[0]);
  });

  it('scans every order in orderId order (afterOrderId), page by page', async () => {
    for (let i = 0; i < 3; i++) await placedOrderId();
    const stored: Array<{ id: string }> = await service.dataSource.query('SELECT id FROM customer_order');
    await expectOrderIdScan(service, stored.map((row) => row.id));
  });

  it('answers 400 problem details without orderIds or updatedSince, or with a bad limit', async () => {
    const missing = await service.http('GET', '/milestones');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await service.http('GET', `/milestones?updatedSince=${encodeURIComponent(new Date().toISOString())}&limit=1001`)).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `o${i}`).join(',');
    expect((await service.http('GET', `/milestones?orderIds=${tooMany}`)).status).toBe(400);
  });
});

describe('edits behind the service’s back (raw SQL)', () => {
  /** A CONFIRMED order: its row and two facts. */
  async function confirmedOrderId(): Promise<string> {
    const orderId = await placedOrderId();
    await service.produce(upstream('InventoryReserved', orderId), upstream('PaymentAuthorized', orderId, { paymentId: 'pay_1', amountMinor: 5000 }));
    await statusBecomes(orderId, 'CONFIRMED');
    return orderId;
  }

  it('show in /milestones?updatedSince when a fact is updated', async () => {
    const orderId = await confirmedOrderId();
    await expectHandEditSeen(service, orderId, {
      sql: `UPDATE order_fact SET amount_minor = 4999 WHERE order_id = $1 AND event_type = 'PaymentAuthorized'`,
      parameters: [orderId],
    });
  });

  it('show when a fact is inserted or deleted', async () => {
    const inserted = await confirmedOrderId();
    await expectHandEditSeen(service, inserted, {
      sql: `INSERT INTO order_fact (order_id, event_type, ref, event_id, occurred_at) VALUES ($1, 'ShipmentCreated', 'shp_hand', gen_random_uuid(), now())`,
      parameters: [inserted],
    });
    const deleted = await confirmedOrderId();
    await expectHandEditSeen(service, deleted, { sql: `DELETE FROM order_fact WHERE order_id = $1 AND event_type = 'PaymentAuthorized'`, parameters: [deleted] });
  });

  it('show when the order row itself is updated without touching updated_at', async () => {
    const orderId = await confirmedOrderId();
    await expectHandEditSeen(service, orderId, { sql: `UPDATE customer_order SET status = 'CANCELLED' WHERE id = $1`, parameters: [orderId] });
  });
});

describe('facts racing for one order (two topics, two replicas)', () => {
  it('a transaction that waited for the order lock sees the fact the one holding it committed', async () => {
    const orderId = await placedOrderId();
    const store = service.app.get(OrderStore);
    const [holder, waiter] = [service.dataSource.createQueryRunner(), service.dataSource.createQueryRunner()];
    await Promise.all([holder.connect(), waiter.connect()]);
    await Promise.all([holder.startTransaction(), waiter.startTransaction()]);
    try {
      await store.lockWithFacts(holder.manager, orderId);
      await holder.manager.insert(OrderFactEntity, {
        orderId, eventType: 'ShipmentDelivered', ref: 'shp-1', eventId: randomUUID(), occurredAt: new Date(), receivedAt: new Date(),
      });
      const waited = store.lockWithFacts(waiter.manager, orderId);
      await eventually(async () => {
        const [{ n }] = await service.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        expect(n).toBe(1);
      });
      await holder.commitTransaction();
      expect((await waited)?.facts.map((fact) => fact.eventType)).toContain('ShipmentDelivered');
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await waiter.rollbackTransaction();
      await Promise.all([holder.release(), waiter.release()]);
    }
  });
});
