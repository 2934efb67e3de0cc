import { randomUUID } from 'node:crypto';
import { eventFor, orderPlaced } from '@commerce/contracts/testing';
import { eventually } from '@commerce/testing';
import { partitionOf } from '../src/orders/order-partition';
import type { Problem } from './support/api';
import { produceAs } from './support/produce';
import { suiteOnItsOwn } from './support/reconciliation-under-test';
import { oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(120_000);

/** The answer read loosely: its shape depends on whether the order is known (OrderExplorer['explore']). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Explored = Record<string, any>;

const suite = suiteOnItsOwn({ FULL_SCAN_THREADS: 'false' });

const explore = (orderId: string) => suite.recon.http<Explored>('GET', `/orders/${encodeURIComponent(orderId)}`);

describe('the order explorer', () => {
  it('answers "no service knows this order" for an orderId nobody has, not an error', async () => {
    const answer = await explore(randomUUID());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ known: false, message: 'no service knows this order', cases: [], checks: [] });
  });

  it('refuses an orderId that cannot be one, naming the field', async () => {
    const answer = await suite.recon.http<Problem>('GET', '/orders/has%20space');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('orderId');
  });

  it("shows the order everywhere: milestones side by side, its messages on Kafka by key, each service's pending and dead-lettered messages, cases and checks", async () => {
    const view = oneDivergencePerRule()['dispatched-not-captured'];
    const { orderId } = view;
    suite.env.fakes.put(view);
    const placed = orderPlaced(orderId, [{ sku: 'SKU-MUG-RED', quantity: 1, unitPriceMinor: 1000 }]);
    const captured = eventFor('PaymentCaptured', orderId, { amountMinor: 1000 });
    // Other orders' events around it, on the same topics: the read must pick the order's by key.
    const noise = Array.from({ length: 30 }, () => orderPlaced(randomUUID(), [{ sku: 'SKU-MUG-RED', quantity: 1, unitPriceMinor: 1000 }]));
    await produceAs(suite.env.kafkaPrefix, ...noise.slice(0, 15), placed, ...noise.slice(15), captured);
    const deadLetter = { id: '7', eventId: randomUUID(), eventType: 'ShipmentDispatched', orderId, reason: 'Error: boom', failedAt: new Date().toISOString() };
    suite.env.fakes.services.payment.pipes.set(orderId, { outbox: [{ eventId: randomUUID(), eventType: 'PaymentCaptured', topic: 'commerce.payment.events', orderId }], deadLetters: [deadLetter] });

    const check = await suite.recon.http<{ runId: string }>('POST', `/orders/${orderId}/check`, { headers: { 'x-operator': 'alice' } });
    expect(check.status).toBe(202);
    await suite.recon.waitForRun(check.body.runId);

    const answer = await explore(orderId);
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body.known).toBe(true);
    expect(body.services.payment).toMatchObject({ orderId });
    expect(body.timeline.length).toBeGreaterThan(0);
    expect(body.cases).toEqual([expect.objectContaining({ rule: 'dispatched-not-captured', orderId })]);
    expect(body.checks).toEqual([expect.objectContaining({ runId: check.body.runId, requestedBy: 'alice', status: 'completed' })]);

    const partition = partitionOf(orderId, 6);
    expect(body.events.map((event: { eventId: string }) => event.eventId)).toEqual(expect.arrayContaining([placed.eventId, captured.eventId]));
    const mine = body.events.filter((event: { eventId: string }) => [placed.eventId, captured.eventId].includes(event.eventId));
    expect(mine).toEqual([
      expect.objectContaining({ topic: 'commerce.order.events', partition, type: 'OrderPlaced', producer: 'order-service', correlationId: placed.correlationId }),
      expect.objectContaining({ topic: 'commerce.payment.events', partition, type: 'PaymentCaptured', producer: 'payment-service' }),
    ]);
    expect(body.eventsRead.complete).toBe(true);
    expect(body.pipes.payment).toEqual({ outbox: expect.objectContaining({ count: 1 }), deadLetters: [deadLetter] });
    expect(body.pipes.order).toEqual({ outbox: expect.objectContaining({ count: 0 }), deadLetters: [] });
  });

  it('reports a service that does not answer as unavailable, never as "nothing"', async () => {
    const view = oneDivergencePerRule()['dispatched-not-captured'];
    suite.env.fakes.put(view);
    suite.env.fakes.services.notification.mode = 'down';
    try {
      const answer = await eventually(async () => {
        const explored = await explore(view.orderId);
        expect(explored.body.unavailable).toEqual(['notification']);
        return explored;
      });
      expect(answer.body.pipes.notification).toEqual({ unavailable: expect.stringContaining('503') });
      expect(answer.body.services.notification).toBe('unavailable');
    } finally {
      suite.env.fakes.services.notification.mode = 'up';
    }
  });
});
