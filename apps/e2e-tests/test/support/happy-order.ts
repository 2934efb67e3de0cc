import { eventually, uniqueName } from '@commerce/testing';
import type { Order, StackApi } from './api';

/** Five services on two cores: allow the flow some time, fail with the last assertion otherwise. */
export const settle = <T>(assertion: () => Promise<T>) => eventually(assertion, { timeoutMs: 45_000, intervalMs: 250 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The happy path through the REST APIs, asserting each step: a mug at wh-berlin and a tee at
 * wh-hamburg (2 × 12.50 + 1 × 25.00 = 50.00 EUR, two shipments) placed, confirmed, dispatched and
 * captured in full, delivered, each notification sent once. Resolves with the delivered order.
 */
export async function deliverHappyOrder(api: StackApi): Promise<Order> {
  const mug = uniqueName('SKU-mug').toUpperCase();
  const tee = uniqueName('SKU-tee').toUpperCase();
  await api.setStock(mug, 'wh-berlin', 10);
  await api.setStock(tee, 'wh-hamburg', 10);
  const placed: Order = await api.placeOrder(
    [
      { sku: mug, quantity: 2, unitPriceMinor: 1250 },
      { sku: tee, quantity: 1, unitPriceMinor: 2500 },
    ],
    'tok_ok',
  );
  expect(placed.status).toBe('PLACED');
  expect(placed.totalMinor).toBe(5000);
  const orderStatus = (expected: string) => settle(async () => expect((await api.order(placed.orderId)).status).toBe(expected));

  await orderStatus('CONFIRMED');
  const shipments = await settle(async () => {
    const created = await api.shipments(placed.orderId);
    expect(created).toHaveLength(2);
    return created;
  });
  expect(shipments.map((s) => [s.node, s.status, s.valueMinor]).sort()).toEqual([
    ['wh-berlin', 'CREATED', 2500],
    ['wh-hamburg', 'CREATED', 2500],
  ]);

  for (const shipment of shipments) expect((await api.dispatch(shipment.shipmentId)).status).toBe('DISPATCHED');
  await orderStatus('SHIPPED');
  await settle(async () => {
    const payment = await api.payment(placed.orderId);
    expect(payment.status).toBe('CAPTURED');
    expect(payment.facts['capturedMinor']).toBe(placed.totalMinor);
  });
  await settle(async () => expect((await api.reservation(placed.orderId)).status).toBe('COMMITTED'));

  for (const shipment of shipments) expect((await api.deliver(shipment.shipmentId)).status).toBe('DELIVERED');
  await orderStatus('DELIVERED');
  await settle(async () => expect((await api.milestones('shipment-service', placed.orderId))?.status).toBe('DELIVERED'));

  await settle(async () => expect(await api.notificationCounts(placed.orderId)).toMatchObject({ delivered: 1 }));
  await pause(2000); // anything sent twice would show by now
  expect(await api.notificationCounts(placed.orderId)).toMatchObject({ confirmed: 1, dispatched: 1, delivered: 1 });
  return placed;
}
