import { TOPICS } from '@commerce/contracts';
import { uniqueName } from '@commerce/testing';
import { type Line, StackApi } from './support/api';
import { type E2eStack, startE2eStack } from './support/e2e-stack';
import { deliverHappyOrder, settle } from './support/happy-order';
import { findPublished, produceAgain } from './support/raw-kafka';

/**
 * The order lifecycle end to end: the five services as separate processes, on the real broker and
 * Postgres, driven only through their public REST APIs and observed through REST and /milestones.
 */
jest.setTimeout(300_000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('order flow across the five services', () => {
  let stack: E2eStack;
  let api: StackApi;

  beforeAll(async () => {
    stack = await startE2eStack();
    api = new StackApi(stack.urls, stack.apiKeys.operator);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /** SKUs of one test only: stock is shared by every order the inventory sees. */
  const sku = (name: string) => uniqueName(`SKU-${name}`).toUpperCase();

  /** A mug reserved at wh-berlin and a tee at wh-hamburg: two shipments, 2 × 12.50 + 1 × 25.00 = 50.00 EUR. */
  async function stockedTwoNodeOrder(): Promise<{ lines: Line[]; mug: string; tee: string }> {
    const mug = sku('mug');
    const tee = sku('tee');
    await api.setStock(mug, 'wh-berlin', 10);
    await api.setStock(tee, 'wh-hamburg', 10);
    return {
      mug,
      tee,
      lines: [
        { sku: mug, quantity: 2, unitPriceMinor: 1250 },
        { sku: tee, quantity: 1, unitPriceMinor: 2500 },
      ],
    };
  }

  const orderStatus = async (orderId: string, expected: string) =>
    settle(async () => {
      const order = await api.order(orderId);
      expect(order.status).toBe(expected);
      return order;
    });

  const shipmentsCreated = (orderId: string, count: number) =>
    settle(async () => {
      const shipments = await api.shipments(orderId);
      expect(shipments).toHaveLength(count);
      return shipments;
    });

  it('every service refuses a caller without a good key: none or a wrong one is 401, a read key on a write 403', async () => {
    const sku = uniqueName('SKU-KEY').toUpperCase();
    for (const service of ['order-service', 'inventory-service', 'payment-service', 'shipment-service', 'notification-service'] as const) {
      expect([service, (await api.call(service, 'GET', '/milestones?orderIds=x', undefined, { 'x-api-key': '' })).status]).toEqual([service, 401]);
      expect([service, (await api.call(service, 'GET', '/milestones?orderIds=x', undefined, { 'x-api-key': 'not-a-key' })).status]).toEqual([service, 401]);
    }
    const refused = await api.call('inventory-service', 'PUT', `/stock/${sku}/wh-berlin`, { onHand: 3 }, { 'x-api-key': stack.apiKeys.reader });
    expect(refused).toMatchObject({ status: 403, body: { caller: 'reader', type: expect.stringMatching(/api-key-scope$/) } });
    const read = await api.call('inventory-service', 'GET', `/stock/${sku}`, undefined, { 'x-api-key': stack.apiKeys.reader });
    expect(read.status).not.toBe(401);
    expect(read.status).not.toBe(403);
  });

  it('happy path: placed, confirmed, dispatched and captured in full, delivered, each notification once', async () => {
    await deliverHappyOrder(api);
  });

  it('out of stock: REJECTED, and the customer is told', async () => {
    const scarce = sku('scarce');
    await api.setStock(scarce, 'wh-berlin', 1);
    const placed = await api.placeOrder([{ sku: scarce, quantity: 2, unitPriceMinor: 1000 }]);

    const rejected = await orderStatus(placed.orderId, 'REJECTED');
    expect(rejected.milestones).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'REJECTED' })]));
    await settle(async () => expect(await api.notificationCounts(placed.orderId)).toMatchObject({ rejected: 1 }));
    expect(await api.shipments(placed.orderId)).toEqual([]);
    expect((await api.stock(scarce)).available).toBe(1);
  });

  it('payment declined: REJECTED, and the reservation is released', async () => {
    const { lines, mug, tee } = await stockedTwoNodeOrder();
    const placed = await api.placeOrder(lines, 'tok_decline');

    await orderStatus(placed.orderId, 'REJECTED');
    await settle(async () => expect((await api.reservation(placed.orderId)).status).toBe('RELEASED'));
    expect((await api.stock(mug)).available).toBe(10);
    expect((await api.stock(tee)).available).toBe(10);
    await settle(async () => expect((await api.payment(placed.orderId)).status).toBe('DECLINED'));
    expect(await api.shipments(placed.orderId)).toEqual([]);
  });

  it('cancelled before dispatch: CANCELLED, reservation released, payment voided, shipments cancelled', async () => {
    const { lines, mug } = await stockedTwoNodeOrder();
    const placed = await api.placeOrder(lines);
    await orderStatus(placed.orderId, 'CONFIRMED');
    await shipmentsCreated(placed.orderId, 2);

    await api.cancelOrder(placed.orderId, 'changed my mind');

    await orderStatus(placed.orderId, 'CANCELLED');
    expect((await api.reservation(placed.orderId)).status).toBe('RELEASED');
    expect((await api.stock(mug)).available).toBe(10);
    expect((await api.payment(placed.orderId)).status).toBe('VOIDED');
    expect((await api.shipments(placed.orderId)).map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect((await api.milestones('shipment-service', placed.orderId))?.status).toBe('CANCELLED');
  });

  it('cancelled after dispatch: the cancellation is refused, visibly', async () => {
    const only = sku('lamp');
    await api.setStock(only, 'wh-berlin', 5);
    const placed = await api.placeOrder([{ sku: only, quantity: 1, unitPriceMinor: 4000 }]);
    const [shipment] = await shipmentsCreated(placed.orderId, 1);
    await api.dispatch(shipment.shipmentId);
    await orderStatus(placed.orderId, 'SHIPPED');

    await api.cancelOrder(placed.orderId, 'too late');

    await settle(async () => {
      const order = await api.order(placed.orderId);
      expect(order.milestones).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'CANCELLATION_REFUSED' })]));
      expect(order.status).not.toBe('CANCELLED');
    });
    const shipping = await api.milestones('shipment-service', placed.orderId);
    expect(shipping?.status).toBe('CANCELLATION_REFUSED');
    expect(shipping?.facts['cancellationRefused']).toBe(true);
    expect((await api.shipments(placed.orderId))[0]).toMatchObject({ status: 'DISPATCHED', cancellationRefusedAt: expect.any(String) });
  });

  it('the same event produced twice: no second capture, no second notification', async () => {
    const { lines } = await stockedTwoNodeOrder();
    const placed = await api.placeOrder(lines);
    const [first, second] = await shipmentsCreated(placed.orderId, 2);
    await api.dispatch(first.shipmentId);
    await settle(async () => expect((await api.payment(placed.orderId)).facts['capturedMinor']).toBe(first.valueMinor));
    await settle(async () => expect(await api.notificationCounts(placed.orderId)).toMatchObject({ dispatched: 1 }));

    // The published ShipmentDispatched, read off the topic and produced again byte for byte.
    const published = await findPublished(
      stack.topicPrefix + TOPICS.shipmentEvents,
      (event) => event?.orderId === placed.orderId && event?.type === 'ShipmentDispatched',
    );
    const consumers = ['payment-service', 'inventory-service', 'order-service', 'notification-service'] as const;
    const duplicates = () =>
      Promise.all(consumers.map((service) => api.metric(service, 'events_consumed_total', { type: 'ShipmentDispatched', outcome: 'duplicate' })));
    const duplicatesBefore = await duplicates();
    await produceAgain(published);

    // Same key, so same partition: once the consumers have applied what follows the copy (the
    // second dispatch, the deliveries), they have seen the copy too.
    await api.dispatch(second.shipmentId);
    await api.deliver(first.shipmentId);
    await api.deliver(second.shipmentId);
    await orderStatus(placed.orderId, 'DELIVERED');
    await settle(async () => expect(await api.notificationCounts(placed.orderId)).toMatchObject({ delivered: 1 }));
    await settle(async () => expect((await api.payment(placed.orderId)).facts['capturedMinor']).toBe(placed.totalMinor));
    await pause(2000);

    const payment = await api.payment(placed.orderId);
    expect(payment.facts['capturedMinor']).toBe(placed.totalMinor);
    expect(payment.milestones.filter((m) => m.name === 'CAPTURED' && m.ref === first.shipmentId)).toHaveLength(1);
    expect(await api.notificationCounts(placed.orderId)).toMatchObject({ confirmed: 1, dispatched: 1, delivered: 1 });
    expect((await api.reservation(placed.orderId)).status).toBe('COMMITTED');
    // Each consumer did receive the copy, and its inbox recognised it.
    expect(await duplicates()).toEqual(duplicatesBefore.map((n) => n + 1));
  });

  it('20 concurrent orders for 10 units: exactly 10 CONFIRMED and 10 REJECTED', async () => {
    const hot = sku('hot');
    await api.setStock(hot, 'wh-berlin', 10);
    const orders = await Promise.all(Array.from({ length: 20 }, () => api.placeOrder([{ sku: hot, quantity: 1, unitPriceMinor: 999 }])));

    const statuses = await settle(async () => {
      const now = await Promise.all(orders.map((o) => api.order(o.orderId).then((order) => order.status)));
      expect(now.filter((s) => s === 'PLACED')).toEqual([]);
      return now;
    });
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'REJECTED')).toHaveLength(10);
    expect(await api.stock(hot)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });
});
