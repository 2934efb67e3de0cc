import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@commerce/contracts';
import { eventFor } from '@commerce/contracts/testing';
import { testBrokers } from '@commerce/testing';
import { partitionOf } from '../src/orders/order-partition';
import { produceAs } from './support/produce';
import { suiteOnItsOwn } from './support/reconciliation-under-test';

jest.setTimeout(120_000);

const suite = suiteOnItsOwn();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const letter = (id: string, eventType: string, orderId: string) => ({ id, eventId: randomUUID(), eventType, orderId, reason: 'Error: boom', failedAt: new Date().toISOString(), replayedAt: null });

describe('the pipes', () => {
  it('shows per service its outbox backlog, its consumer lag per partition and its dead letters by type', async () => {
    const orderId = randomUUID();
    suite.env.fakes.services.payment.pipes.set(orderId, {
      outbox: [{ eventId: randomUUID(), eventType: 'PaymentCaptured' }],
      deadLetters: [letter('11', 'ShipmentDispatched', orderId), letter('12', 'ShipmentDispatched', orderId), letter('13', 'OrderPlaced', orderId)],
    });

    const answer = await suite.recon.http<Loose[]>('GET', '/pipes');
    expect(answer.status).toBe(200);
    expect(answer.body.map((row) => row.service)).toEqual(['order', 'inventory', 'payment', 'shipment', 'notification']);
    const payment = answer.body.find((row) => row.service === 'payment');
    expect(payment.outbox).toMatchObject({ count: 1 });
    expect(payment.deadLetters).toMatchObject({ count: 3, byType: { ShipmentDispatched: 2, OrderPlaced: 1 } });
    // No payment-service consumer runs in this test: its group has no committed offsets, so no lag rows.
    expect(payment.consumer).toEqual({ groupId: `${suite.env.kafkaPrefix}payment-service`, lag: [], totalLag: 0 });
  });

  it("measures a consumer group's lag per partition from its committed offsets", async () => {
    const orderId = randomUUID();
    await produceAs(suite.env.kafkaPrefix, ...[1, 2, 3].map(() => eventFor('PaymentCaptured', orderId)));
    const topic = suite.env.kafkaPrefix + TOPICS.paymentEvents;
    const partition = partitionOf(orderId, 6);
    const admin = new Kafka({ clientId: 'pipes-test', brokers: testBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      // The shipment service's group (none runs here) has read the first of the three.
      await admin.setOffsets({ groupId: `${suite.env.kafkaPrefix}shipment-service`, topic, partitions: [{ partition, offset: '1' }] });
    } finally {
      await admin.disconnect();
    }
    const shipment = (await suite.recon.http<Loose[]>('GET', '/pipes')).body.find((row) => row.service === 'shipment');
    expect(shipment.consumer.lag).toEqual([{ topic: TOPICS.paymentEvents, partition, committed: '1', end: '3', lag: 2 }]);
    expect(shipment.consumer.totalLag).toBe(2);
  });

  it('replays one dead letter, or all of a type, and records each replay with the operator and the reason', async () => {
    const one = await suite.recon.http<Loose>('POST', '/pipes/payment/dead-letters/replay', { body: { ids: ['13'], reason: 'handler fixed' }, headers: { 'x-operator': 'carol' } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ replayed: 1, results: [{ id: '13', outcome: 'applied' }] });

    const byType = await suite.recon.http<Loose>('POST', '/pipes/payment/dead-letters/replay', { body: { eventType: 'ShipmentDispatched', reason: 'shipment schema fixed' }, headers: { 'x-operator': 'carol' } });
    expect(byType.body.replayed).toBe(2);
    expect(suite.env.fakes.services.payment.replayed).toEqual(['13', '11', '12']);

    const audit = await suite.recon.http<Loose[]>('GET', '/pipes/audit');
    expect(audit.body.slice(0, 3).map((row) => [row.actor, row.service, row.action, row.subject, row.outcome, row.reason])).toEqual([
      ['carol', 'payment', 'replay-dead-letter', '12', 'applied', 'shipment schema fixed'],
      ['carol', 'payment', 'replay-dead-letter', '11', 'applied', 'shipment schema fixed'],
      ['carol', 'payment', 'replay-dead-letter', '13', 'applied', 'handler fixed'],
    ]);
  });

  it('refuses a replay without a reason or of an unknown service, naming the field', async () => {
    const noReason = await suite.recon.http<Loose>('POST', '/pipes/payment/dead-letters/replay', { body: { ids: ['1'] }, headers: { 'x-operator': 'carol' } });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const unknown = await suite.recon.http<Loose>('POST', '/pipes/billing/dead-letters/replay', { body: { ids: ['1'], reason: 'x' }, headers: { 'x-operator': 'carol' } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('service');
  });
});
